package reliability_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
	"github.com/activitysdk/activity-go/workiva"
)

// TestFaultWalksSurviveTruncatedAnswers (issue 14): a blank 200 body (a proxy
// or cache answering empty) and a body cut short by the connection's close
// (no Content-Length, not chunked) are truncated answers. Before the fix a
// blank page ended a walk silently after it (Workiva, the ActivTrak log) and
// a cut body ended it with a decoding error. With 30% of requests answered so,
// every provider's walk is the fault-free walk, item for item.
func TestFaultWalksSurviveTruncatedAnswers(t *testing.T) {
	t.Parallel()
	faults := []fakeserver.Fault{fakeserver.FaultBlank, fakeserver.FaultCutShort}
	for i, p := range faultProviders() {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute) // a safety net, not a budget (-race on 2 loaded cores)
			defer cancel()
			sc := faultScale{pages: 20, pageSize: p.faultScale.pageSize}
			srv, base := p.start(sc, false)
			defer srv.Close()
			clean, err := p.walk(ctx, faultSettings{baseURL: base, retry: faultRetries}, sc)
			require.NoError(t, err)
			require.NotEmpty(t, clean)
			cleanRequests := srv.RequestCount()

			srv.ResetRequests()
			srv.FailRandomly(0.3, uint64(1400+i), faults...)
			got, err := p.walk(ctx, faultSettings{baseURL: base, retry: faultRetries}, sc)
			srv.ClearFaults()
			require.NoError(t, err)
			faultRequireSameItems(t, clean, got)
			kinds := map[string]int{}
			for _, r := range srv.Requests() {
				if r.Fault != nil {
					kinds[r.Fault.Kind.String()]++
				}
			}
			for _, f := range faults {
				assert.Positive(t, kinds[f.Kind.String()], "no %s fault was injected", f.Kind)
			}
			t.Logf("%s: %d records identical to the fault-free walk (%d requests); faults injected %v",
				p.name, faultRecords(got), cleanRequests, kinds)
		})
	}
}

// TestBodyCapEveryProvider (issue 14): every provider takes WithMaxBodyBytes,
// refuses a value that is not positive at NewClient, and ends a walk that
// meets a gzip bomb or an endless body with a *RequestError wrapping
// ErrBodyTooLarge, after one attempt, naming the limit and the option.
func TestBodyCapEveryProvider(t *testing.T) {
	t.Parallel()
	for _, n := range []int64{0, -5} {
		for name, err := range map[string]error{
			"workiva":    optErr(workiva.NewClient(workiva.WithMaxBodyBytes(n))),
			"activtrak":  optErr(activtrak.NewClient(activtrak.WithAPIKey(activtraktest.APIKey), activtrak.WithMaxBodyBytes(n))),
			"sdelements": optErr(sdelements.NewClient(sdelements.WithBaseURL("https://x.example"), sdelements.WithToken(sdelementstest.Token), sdelements.WithMaxBodyBytes(n))),
			"close":      optErr(closeapi.NewClient(closeapi.WithAPIKey(closetest.APIKey), closeapi.WithMaxBodyBytes(n))),
			"analytics":  optErr(analytics.NewClient(analytics.WithToken(analyticstest.Token), analytics.WithMaxBodyBytes(n))),
		} {
			require.Error(t, err, name)
			assert.Contains(t, err.Error(), name+": WithMaxBodyBytes: n must be positive", name)
		}
	}
	for _, p := range faultProviders() {
		for _, f := range []fakeserver.Fault{fakeserver.FaultGzipBomb, fakeserver.FaultEndless} {
			t.Run(p.name+"/"+f.Kind.String(), func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				sc := faultScale{pages: 2, pageSize: p.faultScale.pageSize}
				srv, base := p.start(sc, false)
				defer srv.Close()
				srv.FailNext(f)
				_, err := p.walk(ctx, faultSettings{baseURL: base, retry: faultRetries, maxBody: 1 << 20}, sc)
				require.ErrorIs(t, err, fakeserverErrBodyTooLarge(p.name))
				var re *workiva.RequestError // the same core type in every package
				require.ErrorAs(t, err, &re)
				assert.Equal(t, 1, re.Attempts)
				assert.Contains(t, err.Error(), "limit of 1048576 bytes (raise it with WithMaxBodyBytes)")
				reqs := srv.Requests()
				require.NotEmpty(t, reqs)
				assert.NotNil(t, reqs[len(reqs)-1].Fault, "no request after the oversized answer: not retried")
			})
		}
	}
}

func optErr[T any](_ T, err error) error { return err }

// fakeserverErrBodyTooLarge returns the provider package's ErrBodyTooLarge:
// they are one value, checked here through each package's name for it.
func fakeserverErrBodyTooLarge(provider string) error {
	switch {
	case strings.HasPrefix(provider, "activtrak"):
		return activtrak.ErrBodyTooLarge
	case provider == "sdelements":
		return sdelements.ErrBodyTooLarge
	case provider == "close":
		return closeapi.ErrBodyTooLarge
	case provider == "analytics":
		return analytics.ErrBodyTooLarge
	}
	return workiva.ErrBodyTooLarge
}
