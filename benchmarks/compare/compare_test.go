package compare

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/benchmarks/compare/wkogen"
	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
	"github.com/activitysdk/activity-go/workiva"
)

// ---- Workiva: SDK, ogen, plain ----

func tallyWorkiva(t *tally, id, alias, performer string, targets int, at time.Time, tags int, summary string) {
	t.add(int64(len(id)), int64(len(alias)), int64(len(performer)), int64(targets), at.Unix(), int64(tags), int64(len(summary)))
}

// workivaWalkers are the clients of one Workiva fixture: the SDK (without
// and with read-ahead), ogen's, the plain loop (last).
func workivaWalkers(tb testing.TB, s *workivaServer) []walker {
	tb.Helper()
	sdk, err := workiva.NewClient(workiva.WithBaseURL(s.URL), workiva.WithClientCredentials("compare-id", "compare-secret"))
	if err != nil {
		tb.Fatal(err)
	}
	ahead, err := workiva.NewClient(workiva.WithBaseURL(s.URL), workiva.WithClientCredentials("compare-id", "compare-secret"),
		workiva.WithReadAhead(1))
	if err != nil {
		tb.Fatal(err)
	}
	sdkWalk := func(c *workiva.Client) func(ctx context.Context) (tally, error) {
		return func(ctx context.Context) (tally, error) {
			var t tally
			params := &workiva.ListActivitiesParams{PageSize: pageSize}
			for a, err := range c.ListOrganizationActivities(ctx, orgID, params).All() {
				if err != nil {
					return t, err
				}
				tallyWorkiva(&t, a.ID, a.Action.Alias, a.Performer.DisplayName, len(a.Targets), a.ActivityDateTime, len(a.Tags), a.Summary)
			}
			return t, nil
		}
	}
	oc, err := newOgenClient(s.URL, newPlainClient())
	if err != nil {
		tb.Fatal(err)
	}
	hc := newPlainClient()
	return []walker{
		{"activity-go", sdkWalk(sdk)},
		{"ahead=1", sdkWalk(ahead)},
		{"ogen", func(ctx context.Context) (tally, error) {
			var t tally
			err := ogenWorkiva(ctx, oc, func(a *wkogen.Activity) {
				tallyWorkiva(&t, a.ID, a.Action.Alias.Or(""), a.Performer.DisplayName.Or(""), len(a.Targets), a.ActivityDateTime, len(a.Tags), a.Summary.Or(""))
			})
			return t, err
		}},
		{"plain", func(ctx context.Context) (tally, error) {
			var t tally
			err := plainWorkiva(ctx, hc, s.URL, func(a *plainActivity) {
				tallyWorkiva(&t, a.ID, a.Action.Alias, a.Performer.DisplayName, len(a.Targets), a.ActivityDateTime, len(a.Tags), a.Summary)
			})
			return t, err
		}},
	}
}

// ---- ActivTrak: SDK, plain ----

const activtrakDays = 10

func activtrakWalkers(tb testing.TB, items int) []walker {
	tb.Helper()
	if items%activtrakDays != 0 {
		tb.Fatalf("items %d: want a multiple of %d", items, activtrakDays)
	}
	srv := activtraktest.NewServer(activtraktest.WithDays(activtrakDays),
		activtraktest.WithRecordsPerDay(items/activtrakDays), activtraktest.WithLogLimit(100))
	tb.Cleanup(srv.Close)
	rp := newReplay(tb)
	rp.target = srv.URL
	sdk, err := activtrak.NewClient(activtrak.WithBaseURL(rp.URL), activtrak.WithAPIKey(activtraktest.APIKey))
	if err != nil {
		tb.Fatal(err)
	}
	hc := newPlainClient()
	start := srv.StartDate()
	return []walker{
		{"activity-go", func(ctx context.Context) (tally, error) {
			var t tally
			params := &activtrak.ActivityLogParams{StartDate: start, PageSize: pageSize}
			for e, err := range sdk.ListActivityLog(ctx, params).All() {
				if err != nil {
					return t, err
				}
				t.add(e.LogID, int64(len(e.User)), int64(len(e.Description)), int64(len(e.URL)), int64(e.Duration))
			}
			return t, nil
		}},
		{"plain", func(ctx context.Context) (tally, error) {
			var t tally
			err := plainActivTrak(ctx, hc, rp.URL, start.Format("2006-01-02"), activtraktest.APIKey, func(e *plainLogEntry) {
				t.add(e.LogID, int64(len(e.User)), int64(len(e.Description)), int64(len(e.URL)), int64(e.Duration))
			})
			return t, err
		}},
	}
}

// ---- SD Elements: SDK, plain ----

func sdelementsWalkers(tb testing.TB, items int) []walker {
	tb.Helper()
	rp := newReplay(tb)
	srv := sdelementstest.NewServer(sdelementstest.WithActivities(items), sdelementstest.WithLinkBase(rp.URL))
	tb.Cleanup(srv.Close)
	rp.target = srv.URL
	sdk, err := sdelements.NewClient(sdelements.WithBaseURL(rp.URL), sdelements.WithToken(sdelementstest.Token))
	if err != nil {
		tb.Fatal(err)
	}
	hc := newPlainClient()
	return []walker{
		{"activity-go", func(ctx context.Context) (tally, error) {
			var t tally
			for a, err := range sdk.ListActivities(ctx, &sdelements.ListActivitiesParams{PageSize: pageSize}).All() {
				if err != nil {
					return t, err
				}
				t.add(a.ID, int64(len(a.Name)), int64(len(a.Text)), int64(len(a.Data)), a.Date.UnixMicro())
			}
			return t, nil
		}},
		{"plain", func(ctx context.Context) (tally, error) {
			var t tally
			err := plainSDElements(ctx, hc, rp.URL, sdelementstest.Token, func(a *plainSDActivity) {
				t.add(a.ID, int64(len(a.Name)), int64(len(a.Text)), int64(len(a.Data)), a.Date.UnixMicro())
			})
			return t, err
		}},
	}
}

// TestCompare walks the same pages with every client, interleaved, and logs
// the table of medians: time relative to the plain loop (wall and CPU),
// allocations and bytes per item.
//
//	go test -run TestCompare -v                                  # 10,000 items, 3 rounds
//	ACTIVITY_GO_LONG=1 go test -run TestCompare -v               # 100,000 items, 5 rounds
//
// ACTIVITY_GO_ITEMS and ACTIVITY_GO_ROUNDS override both. Allocations do
// not depend on the machine's load: the SDK's allocations per item are
// asserted to be at most the plain loop's. The time goals (SDK at most 0.9
// of ogen's time and 0.4 of the plain loop's on Workiva, 0.4 of the plain
// loops on ActivTrak and SD Elements) are ratios within the run, checked on
// CPU time only with ACTIVITY_GO_GOALS=1: on a shared machine a time ratio
// is a measurement, not a test.
func TestCompare(t *testing.T) {
	items, rounds := 10_000, 3
	if longRun() {
		items, rounds = 100_000, 5
	}
	if testing.Short() {
		items, rounds = 2_000, 1
	}
	items = envInt(t, "ACTIVITY_GO_ITEMS", items) / pageSize * pageSize
	rounds = envInt(t, "ACTIVITY_GO_ROUNDS", rounds)
	goals := os.Getenv("ACTIVITY_GO_GOALS") == "1"

	type row struct {
		walk  string
		names []string
		costs []cost
		bpi   int
	}
	var rows []row
	for _, size := range []itemSize{small, large} {
		s := newWorkivaServer(t, items, size)
		ws := workivaWalkers(t, s)
		rows = append(rows, row{"workiva/" + string(size), names(ws), compareWalks(t, items, rounds, ws...), s.bytes / items})
	}
	ws := activtrakWalkers(t, items)
	rows = append(rows, row{"activtrak", names(ws), compareWalks(t, items, rounds, ws...), 0})
	ws = sdelementsWalkers(t, items)
	rows = append(rows, row{"sdelements", names(ws), compareWalks(t, items, rounds, ws...), 0})

	var b strings.Builder
	fmt.Fprintf(&b, "%d items a walk, pages of %d, median of %d interleaved rounds\n", items, pageSize, rounds)
	fmt.Fprintf(&b, "%-16s %-12s %9s %9s %10s %10s %9s %9s\n", "walk", "client", "ns/item", "cpu-ns", "time/plain", "cpu/plain", "allocs", "B/item")
	for _, r := range rows {
		plain := r.costs[len(r.costs)-1]
		for i, c := range r.costs {
			fmt.Fprintf(&b, "%-16s %-12s %9.0f %9.0f %10.2f %10.2f %9.2f %9.0f\n", r.walk, r.names[i],
				c.wallNs, c.cpuNs, c.wallNs/plain.wallNs, c.cpuNs/plain.cpuNs, c.allocs, c.bytes)
		}
		if r.bpi > 0 {
			fmt.Fprintf(&b, "%-16s (%d B/item on the wire)\n", "", r.bpi)
		}
	}
	t.Log("\n" + b.String())

	for _, r := range rows {
		sdk, plain := r.costs[0], r.costs[len(r.costs)-1]
		if sdk.allocs > plain.allocs {
			t.Errorf("%s: the SDK allocates %.2f times an item, the plain loop %.2f: want at most as many", r.walk, sdk.allocs, plain.allocs)
		}
		if !goals {
			continue
		}
		if ratio := sdk.cpuNs / plain.cpuNs; ratio > 0.4 {
			t.Errorf("%s: SDK CPU time %.2f of the plain loop's, want at most 0.40", r.walk, ratio)
		}
		if len(r.costs) == 4 {
			if ratio := sdk.cpuNs / r.costs[2].cpuNs; ratio > 0.9 {
				t.Errorf("%s: SDK CPU time %.2f of ogen's, want at most 0.90", r.walk, ratio)
			}
		}
	}
}

func names(ws []walker) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.name
	}
	return out
}
