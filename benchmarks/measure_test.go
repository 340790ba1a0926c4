package benchmarks

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// longRun reports whether the long variants were asked for
// (ACTIVITY_GO_LONG=1 and not -short).
func longRun() bool {
	return !testing.Short() && os.Getenv("ACTIVITY_GO_LONG") == "1"
}

// envInt reads a positive integer from the environment, def when unset.
func envInt(tb testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		tb.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

// cost is what one walk cost, per item.
type cost struct {
	wallNs, cpuNs, allocs, bytes float64
}

func (c cost) String() string {
	return fmt.Sprintf("%8.0f ns %8.0f cpu-ns %7.2f allocs %7.0f B", c.wallNs, c.cpuNs, c.allocs, c.bytes)
}

// cpuTime is the process's user+system CPU time so far. On a shared machine
// it moves less than wall time with other processes' load.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure walks once and returns its cost per item. Allocation figures
// count the whole process (the fake's own work included, the same for
// every walker of a fixture).
func measure(tb testing.TB, items int, walk walker) cost {
	tb.Helper()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	cpu0, t0 := cpuTime(), time.Now()
	t, err := walk(context.Background())
	wall, cpu := time.Since(t0), cpuTime()-cpu0
	runtime.ReadMemStats(&m1)
	if err != nil {
		tb.Fatal(err)
	}
	if t.n != items {
		tb.Fatalf("walked %d items, want %d", t.n, items)
	}
	n := float64(items)
	return cost{
		wallNs: float64(wall.Nanoseconds()) / n,
		cpuNs:  float64(cpu.Nanoseconds()) / n,
		allocs: float64(m1.Mallocs-m0.Mallocs) / n,
		bytes:  float64(m1.TotalAlloc-m0.TotalAlloc) / n,
	}
}

// median is the middle value of vs, or the mean of the two middle ones.
func median[T ~int64 | ~float64](vs []T) T {
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// medianCost is the per-field median of costs.
func medianCost(cs []cost) cost {
	med := func(f func(cost) float64) float64 {
		v := make([]float64, len(cs))
		for i, c := range cs {
			v[i] = f(c)
		}
		return median(v)
	}
	return cost{
		wallNs: med(func(c cost) float64 { return c.wallNs }),
		cpuNs:  med(func(c cost) float64 { return c.cpuNs }),
		allocs: med(func(c cost) float64 { return c.allocs }),
		bytes:  med(func(c cost) float64 { return c.bytes }),
	}
}

// compare runs sdk and raw rounds times each, interleaved (the order
// alternates every round), after one warm-up walk each, and returns the
// median cost of each.
func compare(tb testing.TB, items, rounds int, sdk, raw walker) (s, r cost) {
	tb.Helper()
	measure(tb, items, sdk)
	measure(tb, items, raw)
	var ss, rs []cost
	for i := range rounds {
		if i%2 == 0 {
			ss = append(ss, measure(tb, items, sdk))
			rs = append(rs, measure(tb, items, raw))
		} else {
			rs = append(rs, measure(tb, items, raw))
			ss = append(ss, measure(tb, items, sdk))
		}
	}
	return medianCost(ss), medianCost(rs)
}
