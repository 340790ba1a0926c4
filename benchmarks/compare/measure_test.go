package compare

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

// tally is what a walk's consumer computes from every item: the count and a
// checksum over fields from several levels, so that no client can skip
// decoding and walks can be compared with each other.
type tally struct {
	n   int
	sum uint64
}

func (t *tally) add(parts ...int64) {
	t.n++
	for _, p := range parts {
		t.sum = t.sum*31 + uint64(p)
	}
}

// walker is one walk, returning what its consumer computed.
type walker struct {
	name string
	walk func(ctx context.Context) (tally, error)
}

// cost is what one walk cost, per item.
type cost struct {
	wallNs, cpuNs, allocs, bytes float64
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure walks once and returns its cost per item. Allocation figures
// count the whole process (the loopback server's work included, the same
// for every client of a fixture).
func measure(tb testing.TB, items int, w walker) cost {
	tb.Helper()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	cpu0, t0 := cpuTime(), time.Now()
	t, err := w.walk(context.Background())
	wall, cpu := time.Since(t0), cpuTime()-cpu0
	runtime.ReadMemStats(&m1)
	if err != nil {
		tb.Fatalf("%s: %v", w.name, err)
	}
	if t.n != items {
		tb.Fatalf("%s: walked %d items, want %d", w.name, t.n, items)
	}
	n := float64(items)
	return cost{
		wallNs: float64(wall.Nanoseconds()) / n,
		cpuNs:  float64(cpu.Nanoseconds()) / n,
		allocs: float64(m1.Mallocs-m0.Mallocs) / n,
		bytes:  float64(m1.TotalAlloc-m0.TotalAlloc) / n,
	}
}

func median(vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

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

// compareWalks walks every walker once to warm up (token, connections,
// replayed pages) and checks that all computed the same tally, then runs
// rounds rounds, each walker once a round in an order rotated every round,
// and returns each walker's median cost.
func compareWalks(tb testing.TB, items, rounds int, ws ...walker) []cost {
	tb.Helper()
	var want tally
	for i, w := range ws {
		t, err := w.walk(context.Background())
		if err != nil {
			tb.Fatalf("%s: %v", w.name, err)
		}
		if i == 0 {
			want = t
		} else if t != want {
			tb.Fatalf("%s read %+v, %s read %+v: the walks do not read the same items", w.name, t, ws[0].name, want)
		}
	}
	all := make([][]cost, len(ws))
	for r := range rounds {
		for k := range ws {
			i := (k + r) % len(ws)
			if r%2 == 1 {
				i = len(ws) - 1 - i
			}
			all[i] = append(all[i], measure(tb, items, ws[i]))
		}
	}
	out := make([]cost, len(ws))
	for i := range ws {
		out[i] = medianCost(all[i])
	}
	return out
}

func (c cost) String() string {
	return fmt.Sprintf("%7.0f ns %7.0f cpu-ns %6.2f allocs %6.0f B", c.wallNs, c.cpuNs, c.allocs, c.bytes)
}
