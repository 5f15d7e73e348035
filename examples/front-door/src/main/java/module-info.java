/** The front-door example: a client of Orbit's exported API only. */
module dev.orbit.examples {
    requires dev.orbit;
}
