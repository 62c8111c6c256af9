//go:build race

package console_test

// raceDetector is true in a build with the race detector, which slows the
// server under test several times.
const raceDetector = true
