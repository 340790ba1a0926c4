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
	a := newActivTrakBench(t, items, false, nil, activtrak.WithReadAhead(readAhead))
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
// with 10,000; with ACTIVITY_GO_LONG=1, 1,000,000 with 10,000.
func TestLiveHeapIsFlat(t *testing.T) {
	long := 200_000
	if longRun() {
		long = 1_000_000
	}
	if raceEnabled || testing.Short() {
		long = 50_000
	}
	for _, ahead := range []int{0, 2} {
		var small, big uint64
		// Each walk in its own subtest, so that its fake is closed after.
		t.Run(fmt.Sprintf("ahead%d/10000", ahead), func(t *testing.T) { small = peakLiveHeap(t, 10_000, ahead) })
		t.Run(fmt.Sprintf("ahead%d/%d", ahead, long), func(t *testing.T) { big = peakLiveHeap(t, long, ahead) })
		if small == 0 || big == 0 {
			t.FailNow()
		}
		ratio := float64(big) / float64(small)
		t.Logf("read-ahead %d: peak live heap %d items: %.2f MiB, 10,000 items: %.2f MiB, ratio %.2fx",
			ahead, long, float64(big)/(1<<20), float64(small)/(1<<20), ratio)
		if ratio >= 4 {
			t.Errorf("read-ahead %d: the live heap grows with the walk: %.2fx for %dx the items", ahead, ratio, long/10_000)
		}
	}
}
