package benchmarks

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/activitysdk/activity-go/activtrak"
)

// liveHeap is the heap the last GC found live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// peakLiveHeap walks items ActivTrak log records with the SDK (the cheapest
// fake per item) and returns the largest live heap seen at the start of
// each page, after a full GC: what the walk keeps alive, the page in hand
// and everything the SDK, the fake and the test hold.
func peakLiveHeap(t *testing.T, items, readAhead int) uint64 {
	t.Helper()
	a := newActivTrakBench(t, items, false, activtrak.WithReadAhead(readAhead))
	var peak uint64
	n := 0
	err := a.walkSDK(context.Background(), func(e activtrak.ActivityLogEntry) {
		if n%pageSize == 0 {
			runtime.GC()
			peak = max(peak, liveHeap())
		}
		n++
		_ = e
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != items {
		t.Fatalf("walked %d records, want %d", n, items)
	}
	return peak
}

// TestLiveHeapIsFlat: the live heap of a long walk is bounded by a few
// pages, not by the number of items. By default it compares 200,000 items
// with 10,000 (at most 2x); with ACTIVITY_GO_LONG=1, 1,000,000 with 10,000
// (at most 1.5x); under -race or -short, 20,000 with 2,000 (under 4x: two
// pages are not yet the steady state).
func TestLiveHeapIsFlat(t *testing.T) {
	small, long, depths, limit := 10_000, 200_000, []int{0, 2}, 2.0
	if longRun() {
		long, limit = 1_000_000, 1.5
	}
	if raceEnabled || testing.Short() { // a full GC a page is slow under -race
		small, long, depths, limit = 2_000, 20_000, []int{0}, 4
	}
	for _, ahead := range depths {
		var low, high uint64
		// Each walk in its own subtest, so that its fake is closed after.
		t.Run(fmt.Sprintf("ahead%d/%d", ahead, small), func(t *testing.T) { low = peakLiveHeap(t, small, ahead) })
		t.Run(fmt.Sprintf("ahead%d/%d", ahead, long), func(t *testing.T) { high = peakLiveHeap(t, long, ahead) })
		if low == 0 || high == 0 {
			t.FailNow()
		}
		ratio := float64(high) / float64(low)
		t.Logf("read-ahead %d: peak live heap %d items: %.2f MiB, %d items: %.2f MiB, ratio %.2fx",
			ahead, long, float64(high)/(1<<20), small, float64(low)/(1<<20), ratio)
		if ratio > limit {
			t.Errorf("read-ahead %d: the live heap grows with the walk: %.2fx for %dx the items, want at most %.1fx", ahead, ratio, long/small, limit)
		}
	}
}
