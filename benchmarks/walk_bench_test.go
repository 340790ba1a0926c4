package benchmarks

import (
	"context"
	"runtime"
	"testing"
)

// walkItems is the length of the benchmarked walks.
const walkItems = 100_000

// walker is one walk of a fixed number of items, returning what its
// consumer computed.
type walker func(ctx context.Context) (tally, error)

func (w *workivaBench) sdkWalker() walker {
	return func(ctx context.Context) (tally, error) {
		var t tally
		err := w.walkSDK(ctx, t.activity)
		return t, err
	}
}

func (w *workivaBench) rawWalker() walker {
	return func(ctx context.Context) (tally, error) {
		var t tally
		err := w.walkRaw(ctx, t.activity)
		return t, err
	}
}

func (a *activtrakBench) sdkWalker() walker {
	return func(ctx context.Context) (tally, error) {
		var t tally
		err := a.walkSDK(ctx, t.logEntry)
		return t, err
	}
}

func (a *activtrakBench) rawWalker() walker {
	return func(ctx context.Context) (tally, error) {
		var t tally
		err := a.walkRaw(ctx, t.logEntry)
		return t, err
	}
}

// benchWalk runs walk b.N times and reports time, allocations and bytes per
// item. Allocation figures count the whole process: the fake's own work is
// in them, the same for the SDK and the raw loop.
func benchWalk(b *testing.B, items int, walk walker) {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	for b.Loop() {
		t, err := walk(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if t.n != items {
			b.Fatalf("walked %d items, want %d", t.n, items)
		}
	}
	runtime.ReadMemStats(&m1)
	total := float64(b.N * items)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/item")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/total, "allocs/item")
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/total, "B/item")
}

// BenchmarkWorkiva walks 100,000 organization activities in pages of 1000,
// with the SDK and with the raw loop, against one fake ("fake"), and again
// with the fake's pages replayed from memory ("replay": client cost only).
func BenchmarkWorkiva(b *testing.B) {
	for _, mode := range []string{"fake", "replay"} {
		b.Run(mode, func(b *testing.B) {
			w := newWorkivaBench(b, walkItems, mode == "replay")
			warm(b, w.sdkWalker(), w.rawWalker())
			b.Run("sdk", func(b *testing.B) { benchWalk(b, walkItems, w.sdkWalker()) })
			b.Run("raw", func(b *testing.B) { benchWalk(b, walkItems, w.rawWalker()) })
		})
	}
}

// BenchmarkActivTrak walks 100,000 activity-log records in pages of 1000,
// with the SDK and with the raw loop, like BenchmarkWorkiva.
func BenchmarkActivTrak(b *testing.B) {
	for _, mode := range []string{"fake", "replay"} {
		b.Run(mode, func(b *testing.B) {
			a := newActivTrakBench(b, walkItems, mode == "replay")
			warm(b, a.sdkWalker(), a.rawWalker())
			b.Run("sdk", func(b *testing.B) { benchWalk(b, walkItems, a.sdkWalker()) })
			b.Run("raw", func(b *testing.B) { benchWalk(b, walkItems, a.rawWalker()) })
		})
	}
}

// warm walks once with each walker: the token, the connections and the
// replay's pages are in place before the clock starts.
func warm(b *testing.B, walkers ...walker) {
	for _, w := range walkers {
		if _, err := w(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
