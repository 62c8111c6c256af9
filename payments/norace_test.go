//go:build !race

package payments_test

// raceEnabled: timings are not held to their bounds under the race detector.
const raceEnabled = false
