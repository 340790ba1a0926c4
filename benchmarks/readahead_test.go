package benchmarks

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// Read-ahead under latency: every page answer is delayed by pageLatency
// (the fake's Slow fault on every request) and the consumer spends
// pageWork on each page, so a walk without read-ahead costs about
// pages*(latency+work) and one with it about pages*max(latency, work).
const (
	pageLatency = 5 * time.Millisecond
	pageWork    = 5 * time.Millisecond
	aheadPage   = 100 // items a page: decoding stays well under the latency
)

// latencyBench is a Workiva fake answering every API request pageLatency
// late, with one SDK client per read-ahead depth.
type latencyBench struct {
	clients map[int]*workiva.Client
	pages   int
}

func newLatencyBench(tb testing.TB, pages int, depths ...int) *latencyBench {
	tb.Helper()
	srv := workivatest.NewServer(workivatest.WithActivities(pages * aheadPage))
	tb.Cleanup(srv.Close)
	srv.FailRandomly(1, 1, workivatest.Fault{Kind: workivatest.Slow, Delay: pageLatency})
	lb := &latencyBench{clients: map[int]*workiva.Client{}, pages: pages}
	for _, d := range depths {
		c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL),
			workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret),
			workiva.WithReadAhead(d))
		if err != nil {
			tb.Fatal(err)
		}
		lb.clients[d] = c
	}
	return lb
}

// walk walks every page with read-ahead depth d, the consumer sleeping
// work at the first item of each page (none when 0), and returns the wall
// time.
func (lb *latencyBench) walk(tb testing.TB, d int, work time.Duration) time.Duration {
	tb.Helper()
	params := &workiva.ListActivitiesParams{PageSize: aheadPage}
	start := time.Now()
	n := 0
	for a, err := range lb.clients[d].ListOrganizationActivities(context.Background(), workivatest.OrganizationID, params).All() {
		if err != nil {
			tb.Fatal(err)
		}
		if n%aheadPage == 0 && work > 0 {
			time.Sleep(work) // handling a page: writing it out, say
		}
		if a.ID == "" {
			tb.Fatalf("item %d has no ID", n)
		}
		n++
	}
	if n != lb.pages*aheadPage {
		tb.Fatalf("walked %d items, want %d", n, lb.pages*aheadPage)
	}
	return time.Since(start)
}

// TestReadAheadThroughput reports the throughput gained by read-ahead 1
// and 2 over none, medians of interleaved rounds, for a consumer that
// handles each page for pageWork and for one that only counts. It reports and does not
// assert: the ratio is wall-clock. The item sequence is checked by
// internal/paging's tests and by the providers' tests.
func TestReadAheadThroughput(t *testing.T) {
	pages, rounds := 30, 3
	if longRun() {
		pages, rounds = 100, 5
	}
	if raceEnabled || testing.Short() {
		pages, rounds = 10, 1
	}
	depths := []int{0, 1, 2}
	lb := newLatencyBench(t, pages, depths...)
	for _, d := range depths {
		lb.walk(t, d, pageWork) // warm up: token, connections
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d pages of %d, %s latency a page, median of %d rounds\n", pages, aheadPage, pageLatency, rounds)
	// A consumer that handles each page for pageWork (writing it out), and
	// one that only counts.
	for _, work := range []time.Duration{pageWork, 0} {
		times := map[int][]time.Duration{}
		for r := range rounds {
			order := slices.Clone(depths)
			if r%2 == 1 {
				slices.Reverse(order)
			}
			for _, d := range order {
				times[d] = append(times[d], lb.walk(t, d, work))
			}
		}
		base := median(times[0])
		for _, d := range depths {
			m := median(times[d])
			fmt.Fprintf(&b, "work %-4s read-ahead %d: %7.2f ms/page  %6.1f pages/s  %.2fx\n", work, d,
				float64(m.Microseconds())/1000/float64(pages), float64(pages)/m.Seconds(), float64(base)/float64(m))
		}
	}
	t.Log("\n" + b.String())
}

// BenchmarkReadAhead walks 30 pages under latency with read-ahead 0, 1
// and 2; compare the pages/s.
func BenchmarkReadAhead(b *testing.B) {
	const pages = 30
	lb := newLatencyBench(b, pages, 0, 1, 2)
	for _, d := range []int{0, 1, 2} {
		b.Run(fmt.Sprintf("ahead=%d", d), func(b *testing.B) {
			lb.walk(b, d, pageWork)
			for b.Loop() {
				lb.walk(b, d, pageWork)
			}
			b.ReportMetric(float64(b.N*pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
