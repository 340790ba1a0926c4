//go:build race

package benchmarks

// raceEnabled: timings under the race detector mean nothing; the tests
// shrink their walks and only count.
const raceEnabled = true
