package analytics

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

func TestPeriodEnd(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		g       Granularity
		in, out time.Time
	}{
		{GranularityDaily, d(2026, 1, 1), d(2026, 1, 1)},
		{GranularityWeekly, d(2026, 1, 1), d(2026, 1, 4)},  // Thursday -> Sunday
		{GranularityWeekly, d(2026, 1, 4), d(2026, 1, 4)},  // Sunday -> itself
		{GranularityWeekly, d(2026, 1, 5), d(2026, 1, 11)}, // Monday -> next Sunday
		{GranularityWeekly, d(2026, 12, 30), d(2027, 1, 3)},
		{GranularityMonthly, d(2026, 1, 31), d(2026, 1, 31)},
		{GranularityMonthly, d(2028, 2, 3), d(2028, 2, 29)},
		{GranularityMonthly, d(2026, 12, 1), d(2026, 12, 31)},
		{GranularityQuarterly, d(2026, 1, 1), d(2026, 3, 31)},
		{GranularityQuarterly, d(2026, 6, 30), d(2026, 6, 30)},
		{GranularityQuarterly, d(2026, 8, 15), d(2026, 9, 30)},
		{GranularityQuarterly, d(2026, 10, 1), d(2026, 12, 31)},
	} {
		assert.Equal(t, tc.out, periodEnd(tc.g, tc.in), "%s %s", tc.g, tc.in.Format(dateLayout))
	}
}

func TestDays(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 1, days(d(2026, 1, 1), d(2026, 1, 1)))
	assert.Equal(t, 90, days(d(2026, 1, 1), d(2026, 3, 31)))
	assert.Equal(t, 366, days(d(2028, 1, 1), d(2028, 12, 31)))
	assert.Equal(t, 3652059, days(d(1, 1, 1), d(9999, 12, 31)), "no Duration overflow")
}

func TestSplitShortRangeIsOneWindow(t *testing.T) {
	t.Parallel()
	for _, g := range []Granularity{GranularityDaily, GranularityWeekly, GranularityMonthly, GranularityQuarterly} {
		w, err := split(request{granularity: g, start: d(2026, 4, 1), end: d(2026, 6, 29), maxDays: MaxRangeDays})
		require.NoError(t, err)
		assert.Equal(t, []window{{d(2026, 4, 1), d(2026, 6, 29)}}, w, g)
	}
}

// Every split covers its range with contiguous windows of at most
// MaxRangeDays dates whose inner boundaries are period boundaries, and
// uses as few windows as greedy packing allows.
func TestSplitProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		g := []Granularity{GranularityDaily, GranularityWeekly, GranularityMonthly, GranularityQuarterly}[i%4]
		start := d(2020, 1, 1).AddDate(0, 0, rng.IntN(3000))
		end := start.AddDate(0, 0, rng.IntN(800))
		ws, err := split(request{granularity: g, start: start, end: end, maxDays: MaxRangeDays})
		if err != nil {
			require.Equal(t, GranularityQuarterly, g, "only quarters can fail: %v", err)
			continue
		}
		require.NotEmpty(t, ws)
		assert.Equal(t, start, ws[0].start)
		assert.Equal(t, end, ws[len(ws)-1].end)
		for j, w := range ws {
			require.False(t, w.end.Before(w.start))
			require.LessOrEqual(t, days(w.start, w.end), MaxRangeDays)
			if j > 0 {
				require.Equal(t, ws[j-1].end.AddDate(0, 0, 1), w.start, "contiguous")
				require.Equal(t, ws[j-1].end, periodEnd(g, ws[j-1].end), "%s window ends on a period end", g)
				// Greedy: the next period would not have fitted.
				next := periodEnd(g, w.start)
				if next.After(end) {
					next = end
				}
				require.Greater(t, days(ws[j-1].start, next), MaxRangeDays, "windows are as long as they can be")
			}
		}
	}
}

func TestSplitWeeklyWindowsStartOnMonday(t *testing.T) {
	t.Parallel()
	ws, err := split(request{granularity: GranularityWeekly, start: d(2026, 1, 1), end: d(2026, 12, 31), maxDays: MaxRangeDays})
	require.NoError(t, err)
	require.Len(t, ws, 5)
	for _, w := range ws[1:] {
		assert.Equal(t, time.Monday, w.start.Weekday())
	}
	for _, w := range ws[:len(ws)-1] {
		assert.Equal(t, time.Sunday, w.end.Weekday())
	}
}

func TestQuarterName(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "2026-Q1", quarterName(d(2026, 3, 31)))
	assert.Equal(t, "2026-Q4", quarterName(d(2026, 10, 1)))
}

func TestValidUUID(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"aa7cf840-9ca9-46a3-9778-9015d6580d50":   true,
		"AA7CF840-9CA9-46A3-9778-9015D6580D50":   true,
		"00000000-0000-0000-0000-000000000000":   true,
		"aa7cf840-9ca9-46a3-9778-9015d6580d5":    false,
		"aa7cf840-9ca9-46a3-9778-9015d6580d500":  false,
		"aa7cf8409ca946a397789015d6580d50":       false,
		"aa7cf840-9ca9-46a3-9778_9015d6580d50":   false,
		"aa7cf840-9ca9-46a3-9778-9015d6580d5g":   false,
		"{aa7cf840-9ca9-46a3-9778-9015d6580d50}": false,
		"":                                       false,
	} {
		assert.Equal(t, want, validUUID(s), s)
	}
}
