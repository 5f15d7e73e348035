package dev.orbit.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** H², PSL(2,R), the disc, Hⁿ and its isometries, the hyperboloid: each against a second formula or an invariant. */
class GeometryTest {
    private final SplittableRandom rng = new SplittableRandom(7);

    private H2Point randomH2() { return new H2Point(rng.nextDouble(-3, 3), Math.exp(rng.nextDouble(-2, 2))); }

    private HnPoint randomHn(int n) {
        double[] c = new double[n];
        for (int i = 0; i < n - 1; i++) c[i] = rng.nextDouble(-3, 3);
        c[n - 1] = Math.exp(rng.nextDouble(-2, 2));
        return new HnPoint(c);
    }

    @Test
    void h2DistanceMatchesArcoshAndTheImaginaryAxis() {
        for (int k = 0; k < 200; k++) {
            H2Point z = randomH2();
            H2Point w = randomH2();
            double dx = z.x() - w.x();
            double dy = z.y() - w.y();
            double ref = HyperbolicMath.acosh(1 + (dx * dx + dy * dy) / (2 * z.y() * w.y()));
            assertEquals(ref, z.distance(w), 1e-12 * Math.max(1, ref));
        }
        assertEquals(Math.log(7.0 / 2), new H2Point(0, 7).distance(new H2Point(0, 2)), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new H2Point(0, 0));
    }

    @Test
    void mobiusMapsAreIsometriesThatComposeAndInvert() {
        for (int k = 0; k < 200; k++) {
            Psl2R m = Psl2R.random(rng, 1.5);
            Psl2R n = Psl2R.random(rng, 1.5);
            H2Point z = randomH2();
            H2Point w = randomH2();
            double d = z.distance(w);
            assertEquals(d, m.apply(z).distance(m.apply(w)), 1e-12 * Math.max(1, d));
            H2Point a = m.times(n).apply(z);
            H2Point b = m.apply(n.apply(z));
            assertEquals(0, a.distance(b), 1e-7);
            H2Point back = m.inverse().apply(m.apply(z));
            assertEquals(z.x(), back.x(), 1e-11 * Math.max(1, Math.abs(z.x())));
            assertEquals(z.y(), back.y(), 1e-11 * z.y());
            assertTrue(m.times(m.inverse()).sameAs(Psl2R.IDENTITY, 1e-12));
        }
        Psl2R m = Psl2R.kan(0.3, 0.7, -1.1);
        Psl2R minus = new Psl2R(-m.a(), -m.b(), -m.c(), -m.d());
        assertTrue(m.sameAs(minus, 0), "±M are one element");
        H2Point z = new H2Point(0.4, 1.3);
        assertEquals(m.apply(z), minus.apply(z));
        // KAN: K fixes i, A(t) moves i to eᵗ i, N(s) translates by s
        H2Point i = new H2Point(0, 1);
        assertEquals(0, Psl2R.rotation(1.2).apply(i).distance(i), 1e-15);
        assertEquals(2.0, Psl2R.dilation(2).apply(i).distance(i), 1e-14);
        assertEquals(new H2Point(1.5, 1), Psl2R.translation(1.5).apply(i));
        assertThrows(IllegalArgumentException.class, () -> new Psl2R(1, 1, 1, 1));
    }

    @Test
    void theSeedsGeodesicCaseIsTheLogOfTheRatio() {
        // S = [[a, b], [c, d]] maps the imaginary axis to a geodesic; d_H(S(iy₁), S(iy₂)) = |ln(y₁/y₂)|
        Psl2R s = Psl2R.kan(0.9, -0.4, 0.6);
        for (double[] ys : new double[][] {{0.5, 3}, {2, 2.0001}, {1e-3, 1e3}}) {
            double d = s.apply(new H2Point(0, ys[0])).distance(s.apply(new H2Point(0, ys[1])));
            assertEquals(Math.abs(Math.log(ys[0] / ys[1])), d, 1e-11);
        }
    }

    @Test
    void cayleyMapCarriesDistancesAndIsometriesToTheDisc() {
        var origin = PoincareDisc.fromHalfPlane(new H2Point(0, 1));
        assertEquals(0, Math.hypot(origin.u(), origin.v()), 1e-17);
        for (int k = 0; k < 200; k++) {
            H2Point z = randomH2();
            H2Point w = randomH2();
            var p = PoincareDisc.fromHalfPlane(z);
            var q = PoincareDisc.fromHalfPlane(w);
            double d = z.distance(w);
            assertEquals(d, PoincareDisc.distance(p, q), 1e-10 * Math.max(1, d));
            H2Point back = PoincareDisc.toHalfPlane(p);
            assertEquals(0, back.distance(z), 1e-7);
            Psl2R m = Psl2R.random(rng, 1);
            assertEquals(PoincareDisc.distance(p, q), PoincareDisc.distance(PoincareDisc.apply(m, p), PoincareDisc.apply(m, q)),
                    1e-9 * Math.max(1, d));
        }
    }

    @Test
    void hnDistanceReducesToH2AndMatchesTheHyperboloid() {
        for (int k = 0; k < 100; k++) {
            H2Point z = randomH2();
            H2Point w = randomH2();
            assertEquals(z.distance(w), HnPoint.of(z.x(), z.y()).distance(HnPoint.of(w.x(), w.y())), 0);
        }
        for (int n = 2; n <= 6; n++) {
            for (int k = 0; k < 50; k++) {
                HnPoint x = randomHn(n);
                HnPoint y = randomHn(n);
                double[] hx = Hyperboloid.fromHalfSpace(x.coords());
                assertEquals(-1, Hyperboloid.minkowski(hx, hx), 1e-12 * hx[0] * hx[0]);
                double d = x.distance(y);
                assertEquals(d, Hyperboloid.distance(hx, Hyperboloid.fromHalfSpace(y.coords())), 1e-8 * Math.max(1, d));
                HnPoint back = Hyperboloid.toHalfSpace(hx);
                assertEquals(0, back.distance(x), 1e-7);
            }
        }
    }

    @Test
    void everyGeneratorAndRandomIsometryPreservesDistances() {
        for (int n = 2; n <= 5; n++) {
            double[] c = new double[n - 1];
            c[0] = 0.5;
            HnIsometry[] gens = {new HnIsometry.Translation(c), new HnIsometry.Dilation(n, 2.5),
                    new HnIsometry.Rotation(dev.orbit.numeric.Matrices.haarOrthogonal(n - 1, rng)), new HnIsometry.Inversion(c, 1.7),
                    HnIsometry.random(n, rng, 1), HnIsometry.random(n, rng, 2)};
            for (HnIsometry g : gens) {
                for (int k = 0; k < 30; k++) {
                    HnPoint x = randomHn(n);
                    HnPoint y = randomHn(n);
                    double d = x.distance(y);
                    assertEquals(d, g.apply(x).distance(g.apply(y)), 1e-11 * Math.max(1, d), g.toString());
                    assertEquals(0, g.inverse().apply(g.apply(x)).distance(x), 1e-6, g.toString());
                }
            }
        }
    }

    @Test
    void isometriesBecomeLorentzMatricesThatCompose() {
        for (int n = 2; n <= 5; n++) {
            HnIsometry g = HnIsometry.random(n, rng, 1);
            HnIsometry h = HnIsometry.random(n, rng, 1);
            double[][] lg = g.toLorentz();
            double[][] lh = h.toLorentz();
            assertTrue(Hyperboloid.lorentzDefect(lg) < 1e-9, "LᵀJL = J: defect " + Hyperboloid.lorentzDefect(lg));
            assertTrue(lg[0][0] >= 1, "O⁺: L₀₀ ≥ 1");
            for (int k = 0; k < 20; k++) {
                HnPoint x = randomHn(n);
                HnPoint viaMatrix = Hyperboloid.toHalfSpace(Hyperboloid.apply(lg, Hyperboloid.fromHalfSpace(x.coords())));
                assertEquals(0, viaMatrix.distance(g.apply(x)), 1e-6);
            }
            double[][] composed = g.after(h).toLorentz();
            double[][] product = dev.orbit.numeric.Matrices.multiply(lg, lh);
            for (int i = 0; i <= n; i++) {
                for (int j = 0; j <= n; j++) assertEquals(product[i][j], composed[i][j], 1e-8 * Math.max(1, Math.abs(product[i][j])));
            }
            double[][] inv = Hyperboloid.inverse(lg);
            double[][] id = dev.orbit.numeric.Matrices.multiply(inv, lg);
            for (int i = 0; i <= n; i++) for (int j = 0; j <= n; j++) assertEquals(i == j ? 1 : 0, id[i][j], 1e-9);
        }
    }

    @Test
    void mobiusMapsAndTheirLorentzMatricesAgreeOnH2() {
        // PSL(2,R) ≅ SO⁺(2,1): the Möbius map read through the hyperboloid is linear there
        for (int k = 0; k < 20; k++) {
            Psl2R m = Psl2R.random(rng, 1);
            HnIsometry asIsometry = new HnIsometry.Mobius(m);
            double[][] l = asIsometry.toLorentz();
            assertTrue(Hyperboloid.lorentzDefect(l) < 1e-9);
            H2Point z = randomH2();
            HnPoint img = Hyperboloid.toHalfSpace(Hyperboloid.apply(l, z.toHyperboloid()));
            H2Point want = m.apply(z);
            assertEquals(0, HnPoint.of(want.x(), want.y()).distance(img), 1e-6);
        }
    }
}
