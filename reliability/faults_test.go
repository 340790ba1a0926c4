package reliability_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/activitysdk/activity-go/internal/paging"
	"github.com/activitysdk/activity-go/workiva"
)

// This file holds the provider table shared by faults_test.go,
// deadline_test.go and leaks_test.go, and the fault-injection walks.

// faultServer is what every provider fake offers through its embedded
// fakeserver.Server.
type faultServer interface {
	FailNext(faults ...fakeserver.Fault)
	FailRandomly(rate float64, seed uint64, faults ...fakeserver.Fault)
	ClearFaults()
	Requests() []fakeserver.Request
	RequestCount() int64
	ResetRequests()
	LastRequest() (fakeserver.Request, bool)
	Connections() int64
	Close()
}

// faultSettings are the client options a test varies. Every package's
// RetryPolicy is the same core type, so one value serves all five.
type faultSettings struct {
	baseURL   string
	hc        *http.Client
	retry     workiva.RetryPolicy
	rate      float64
	burst     int
	readAhead int
	maxBody   int64 // WithMaxBodyBytes when positive
}

// faultScale sizes a fake and its walk: about pages requests of pageSize
// items each (for close: pages report calls over pageSize users; for
// analytics: pages 90-day windows).
type faultScale struct{ pages, pageSize int }

// faultItem is one item of a walk: its identity and its whole content as
// JSON. Extra items (a report's totals, a series' header) are compared too
// but not counted as records.
type faultItem struct {
	ID, Body string
	Extra    bool
}

// faultProvider is one provider's walk against its fake.
type faultProvider struct {
	name string
	// basePath is the fake's API base path below its URL.
	basePath string
	// paged is true for list walks (read-ahead applies).
	paged bool
	// faultScale is the scale of the 10,000-item fault walk.
	faultScale faultScale
	// start starts a fake for scale sc. proxied says the fake is reached
	// through a proxy, so next links must be relative or built on the
	// request's host.
	start func(sc faultScale, proxied bool) (faultServer, string)
	// each reads everything a fake of scale sc holds with a client built
	// from s and hands each item to yield, stopping (break) when yield
	// returns false.
	each func(ctx context.Context, s faultSettings, sc faultScale, yield func(faultItem) bool) error
}

// walk collects p's items; on error it returns the items read before it.
func (p faultProvider) walk(ctx context.Context, s faultSettings, sc faultScale) ([]faultItem, error) {
	var out []faultItem
	err := p.each(ctx, s, sc, func(it faultItem) bool { out = append(out, it); return true })
	return out, err
}

func faultItemOf(id string, v any) faultItem {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte("marshal: " + err.Error())
	}
	return faultItem{ID: id, Body: string(b)}
}

// faultRange ranges over p's items, optionally with read-ahead. A provider's
// *Pager[T] converts to the *paging.Pager[T] it is declared on.
func faultRange[T any](p *paging.Pager[T], readAhead int, id func(T) string, yield func(faultItem) bool) error {
	if readAhead > 0 {
		p = p.WithReadAhead(readAhead)
	}
	for it, err := range p.All() {
		if err != nil {
			return err
		}
		if !yield(faultItemOf(id(it), it)) {
			return nil
		}
	}
	return nil
}

var (
	faultActivtrakStart = activtraktest.DefaultStartDate
	faultCloseStart     = time.Date(2025, time.April, 1, 0, 0, 0, 0, time.UTC)
	faultCloseMetrics   = []string{"calls.outbound.all.count", "calls.inbound.all.count", "calls.outbound.all.avg_duration"}
	faultAnalyticsStart = time.Date(1990, time.January, 1, 0, 0, 0, 0, time.UTC)
)

// faultProviders lists the walks of every provider (providers_test.go):
// ActivTrak has two (its cursor log and its page-number report).
func faultProviders() []faultProvider {
	var out []faultProvider
	for _, p := range providers() {
		out = append(out, p.walks...)
	}
	return out
}

// faultRetries retries often enough that 30% faults never exhaust it, with
// backoffs short enough to keep a walk of a hundred pages fast.
var faultRetries = workiva.RetryPolicy{MaxRetries: 10, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// faultMix is every fault the fakes inject: 429 with Retry-After: 0.02
// (sent raw), 500, 502, 503, 504, dropped connection, truncated body, and
// an answer 5ms late.
func faultMix() []fakeserver.Fault {
	return fakeserver.AllFaults(20*time.Millisecond, 5*time.Millisecond)
}

func faultLabel(f fakeserver.Fault) string {
	if f.Kind == fakeserver.Status {
		return strconv.Itoa(f.Status)
	}
	return f.Kind.String()
}

func faultRecords(items []faultItem) int {
	n := 0
	for _, it := range items {
		if !it.Extra {
			n++
		}
	}
	return n
}

// faultRequireSameItems fails unless got is want: same ids in the same
// order, same content. On a difference it says what was lost, repeated or
// moved rather than printing ten thousand items.
func faultRequireSameItems(t *testing.T, want, got []faultItem) {
	t.Helper()
	same := len(want) == len(got)
	for i := 0; same && i < len(want); i++ {
		same = want[i].ID == got[i].ID
	}
	if !same {
		seen := map[string]int{}
		for _, it := range got {
			seen[it.ID]++
		}
		var lost, repeated []string
		for _, it := range want {
			if seen[it.ID] == 0 {
				lost = append(lost, it.ID)
			}
		}
		for id, n := range seen {
			if n > 1 {
				repeated = append(repeated, id)
			}
		}
		first := -1
		for i := 0; i < min(len(want), len(got)); i++ {
			if want[i].ID != got[i].ID {
				first = i
				break
			}
		}
		t.Fatalf("item sequence differs: want %d items, got %d; lost %d (first: %.5q), repeated %d (%.5q), first difference at index %d",
			len(want), len(got), len(lost), lost, len(repeated), repeated, first)
	}
	for i := range want {
		if want[i].Body != got[i].Body {
			t.Fatalf("item %d (%s) differs:\nwant %s\ngot  %s", i, want[i].ID, want[i].Body, got[i].Body)
		}
	}
}

func faultRequireUniqueIDs(t *testing.T, items []faultItem) {
	t.Helper()
	seen := make(map[string]bool, len(items))
	for _, it := range items {
		require.False(t, seen[it.ID], "the fault-free walk repeats %s", it.ID)
		seen[it.ID] = true
	}
}

type faultMode struct {
	name      string
	rate      float64
	burst     int
	readAhead int
}

// TestFaultWalksMatchFaultFreeWalks walks at least 10,000 records of every
// provider with 30% of requests failing in every injected way and requires
// exactly the fault-free sequence: without a rate limit, with one, and (for
// list walks) with read-ahead.
func TestFaultWalksMatchFaultFreeWalks(t *testing.T) {
	t.Parallel()
	for i, p := range faultProviders() {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a safety net, not a budget: under -race on a loaded 2-core machine one provider takes ~150 s
			defer cancel()
			srv, base := p.start(p.faultScale, false)
			defer srv.Close()

			clean, err := p.walk(ctx, faultSettings{baseURL: base, retry: faultRetries}, p.faultScale)
			require.NoError(t, err)
			require.GreaterOrEqual(t, faultRecords(clean), 10_000)
			faultRequireUniqueIDs(t, clean)
			cleanRequests := srv.RequestCount()

			modes := []faultMode{{name: "plain"}, {name: "rate-limited", rate: 2000, burst: 5}}
			if p.paged {
				modes = append(modes, faultMode{name: "read-ahead", readAhead: 4})
			}
			for j, m := range modes {
				t.Run(m.name, func(t *testing.T) {
					srv.ResetRequests()
					before := srv.RequestCount()
					srv.FailRandomly(0.3, uint64(9000+100*i+j), faultMix()...)
					start := time.Now()
					got, err := p.walk(ctx, faultSettings{baseURL: base, retry: faultRetries,
						rate: m.rate, burst: m.burst, readAhead: m.readAhead}, p.faultScale)
					elapsed := time.Since(start)
					srv.ClearFaults()
					require.NoError(t, err)
					faultRequireSameItems(t, clean, got)

					kinds := map[string]int{}
					faults := 0
					for _, r := range srv.Requests() {
						if r.Fault != nil {
							kinds[faultLabel(*r.Fault)]++
							faults++
						}
					}
					for _, f := range faultMix() {
						assert.Positive(t, kinds[faultLabel(f)], "no %s fault was injected: the walk proved nothing about it", faultLabel(f))
					}
					requests := srv.RequestCount() - before
					assert.Greater(t, requests, cleanRequests, "faults cost extra requests")
					if m.rate > 0 {
						// Every request of the fault-free walk went through
						// the limiter at least once.
						least := time.Duration(float64(cleanRequests-int64(m.burst)) / m.rate * float64(time.Second))
						assert.GreaterOrEqual(t, elapsed, least, "the rate limit did not make the walk wait")
					}
					t.Logf("%s %s: %d records (%d items) identical to the fault-free walk; %d requests (fault-free %d), %d faults injected %v; %s",
						p.name, m.name, faultRecords(got), len(got), requests, cleanRequests, faults, faultSorted(kinds), elapsed.Round(time.Millisecond))
				})
			}
		})
	}
}

func faultSorted(m map[string]int) string {
	var parts []string
	for _, f := range faultMix() {
		parts = append(parts, fmt.Sprintf("%s:%d", faultLabel(f), m[faultLabel(f)]))
	}
	return strings.Join(parts, " ")
}
