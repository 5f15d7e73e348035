package dev.orbit;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package layering of docs/ARCHITECTURE.md ("Packages and layers"), read from that file so the doc and the
 * test cannot drift: no package cycles, every main package has a row, and every import between Orbit's packages
 * is one its row allows.
 */
class LayeringTest {
    private static final Path DOC = Path.of("docs/ARCHITECTURE.md");
    private static JavaClasses classes;
    private static List<Row> table;

    /** One row: the packages it covers, its layer, and what it may import (layer names or row patterns). */
    record Row(String pattern, String layer, List<String> mayImport) {
        /** Exact names first, then direct-subpackage patterns, then whole subtrees. */
        int specificity() { return pattern.endsWith("..") ? 0 : pattern.endsWith(".*") ? 1 : 2; }

        boolean matches(String pkg) {
            if (pattern.endsWith("..")) {
                String base = pattern.substring(0, pattern.length() - 2);
                return pkg.equals(base) || pkg.startsWith(base + ".");
            }
            if (pattern.endsWith(".*")) {
                String base = pattern.substring(0, pattern.length() - 2);
                return pkg.startsWith(base + ".") && pkg.indexOf('.', base.length() + 1) < 0;
            }
            return pkg.equals(pattern);
        }
    }

    @BeforeAll
    static void load() throws IOException {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.orbit");
        table = parse(Files.readString(DOC));
    }

    /** The table between the layering markers: | `pattern` | layer | may import |. */
    static List<Row> parse(String doc) {
        int from = doc.indexOf("<!-- layering:begin -->");
        int to = doc.indexOf("<!-- layering:end -->");
        assertTrue(from >= 0 && to > from, "docs/ARCHITECTURE.md has no layering table");
        List<Row> rows = new ArrayList<>();
        Pattern line = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|\\s*([^|]+?)\\s*\\|\\s*([^|]+?)\\s*\\|$");
        for (String l : doc.substring(from, to).lines().toList()) {
            Matcher m = line.matcher(l.trim());
            if (!m.matches()) continue;
            List<String> imports = new ArrayList<>();
            for (String item : m.group(3).split(",")) imports.add(item.trim().replace("`", ""));
            rows.add(new Row(m.group(1), m.group(2), imports));
        }
        assertFalse(rows.isEmpty(), "the layering table is empty");
        return rows;
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.orbit.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyPackageHasARow() {
        Set<String> missing = new TreeSet<>();
        for (JavaClass c : classes) if (row(c.getPackageName()).isEmpty()) missing.add(c.getPackageName());
        assertEquals(Set.of(), missing, "packages without a row in docs/ARCHITECTURE.md");
    }

    @Test
    void everyImportIsAllowedByTheTable() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass c : classes) {
            Row from = row(c.getPackageName()).orElse(null);
            if (from == null) continue; // reported by everyPackageHasARow
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                if (!target.startsWith("dev.orbit") || target.equals(c.getPackageName())) continue;
                Row to = row(target).orElse(null);
                if (to != null && !allows(from, to)) violations.add(c.getPackageName() + " → " + target + " (" + c.getSimpleName() + " uses "
                        + d.getTargetClass().getSimpleName() + ")");
            }
        }
        assertEquals(Set.of(), violations, "imports the table in docs/ARCHITECTURE.md does not allow");
    }

    @Test
    void theTableNamesOnlyKnownLayersAndRows() {
        Set<String> layers = new LinkedHashSet<>();
        for (Row r : table) layers.add(r.layer());
        for (Row r : table) {
            for (String item : r.mayImport()) {
                boolean known = item.equals("nothing") || item.equals("everything") || layers.contains(item)
                        || table.stream().anyMatch(o -> o.pattern().equals(item));
                assertTrue(known, r.pattern() + " may import '" + item + "', which is neither a layer nor a row");
            }
        }
    }

    private static boolean allows(Row from, Row to) {
        if (from == to) return true;
        for (String item : from.mayImport()) {
            if (item.equals("everything") || item.equals(to.layer()) || item.equals(to.pattern())) return true;
        }
        return false;
    }

    /** The most specific row that covers a package. */
    private static Optional<Row> row(String pkg) {
        return table.stream().filter(r -> r.matches(pkg)).max(Comparator.comparingInt(Row::specificity));
    }
}
