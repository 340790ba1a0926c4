package benchmarks

import (
	"fmt"
	"strings"
	"testing"
)

// TestRatios walks the same list with the SDK and with the raw loop,
// interleaved, against one fake and against a replay of its pages, and
// logs a table of the medians and the SDK/raw ratios:
//
//	go test ./benchmarks -run TestRatios -v                      # 10,000 items, 3 rounds
//	ACTIVITY_GO_LONG=1 go test ./benchmarks -run TestRatios -v   # 100,000 items, 5 rounds
//
// (ACTIVITY_GO_ITEMS and ACTIVITY_GO_ROUNDS override both.) Time ratios are
// reported, never asserted: the machine may be shared. Allocations are
// deterministic, so the SDK's allocations per item are asserted to be at
// most the raw loop's plus one.
func TestRatios(t *testing.T) {
	items, rounds := 10_000, 3
	if longRun() {
		items, rounds = walkItems, 5
	}
	if raceEnabled || testing.Short() {
		items, rounds = 2_000, 1
	}
	items = envInt(t, "ACTIVITY_GO_ITEMS", items) / activtrakDays * activtrakDays
	rounds = envInt(t, "ACTIVITY_GO_ROUNDS", rounds)

	type row struct {
		name     string
		sdk, raw cost
	}
	var rows []row
	for _, mode := range []string{"fake", "replay"} {
		replay := mode == "replay"
		w := newWorkivaBench(t, items, replay)
		s, r := compare(t, items, rounds, w.sdkWalker(), w.rawWalker())
		rows = append(rows, row{"workiva/" + mode, s, r})
		a := newActivTrakBench(t, items, replay)
		s, r = compare(t, items, rounds, a.sdkWalker(), a.rawWalker())
		rows = append(rows, row{"activtrak/" + mode, s, r})
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%d items a walk, pages of %d, median of %d interleaved rounds (race=%v)\n", items, pageSize, rounds, raceEnabled)
	fmt.Fprintf(&b, "%-17s %21s %9s %21s %9s %17s %15s\n", "walk", "ns/item sdk | raw", "ratio", "cpu-ns/item sdk|raw", "cpu ratio", "allocs/item s|r", "B/item s|r")
	for _, r := range rows {
		fmt.Fprintf(&b, "%-17s %10.0f %10.0f %8.2fx %10.0f %10.0f %8.2fx %8.2f %8.2f %7.0f %7.0f\n", r.name,
			r.sdk.wallNs, r.raw.wallNs, r.sdk.wallNs/r.raw.wallNs,
			r.sdk.cpuNs, r.raw.cpuNs, r.sdk.cpuNs/r.raw.cpuNs,
			r.sdk.allocs, r.raw.allocs, r.sdk.bytes, r.raw.bytes)
	}
	t.Log("\n" + b.String())
	for _, r := range rows {
		if r.sdk.allocs > r.raw.allocs+1 {
			t.Errorf("%s: the SDK allocates %.2f times an item, the raw loop %.2f: want at most one more", r.name, r.sdk.allocs, r.raw.allocs)
		}
	}
}
