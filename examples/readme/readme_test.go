package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// blocks returns the README blocks of readme.go by name, dedented.
func blocks(t *testing.T) map[string]string {
	src, err := os.ReadFile("readme.go")
	require.NoError(t, err)
	re := regexp.MustCompile(`(?s)\n\t// README: (\w+)\n(.*?)\n\t// END README`)
	out := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		var lines []string
		for _, l := range strings.Split(m[2], "\n") {
			lines = append(lines, strings.TrimPrefix(l, "\t"))
		}
		out[m[1]] = strings.Join(lines, "\n")
	}
	return out
}

// TestREADMEMatchesCompiledCode: every Go block of README.md is one of the
// blocks of readme.go, verbatim, and every block of readme.go is in README.md.
func TestREADMEMatchesCompiledCode(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	re := regexp.MustCompile("(?s)```go\n(.*?)\n```")
	var inReadme []string
	for _, m := range re.FindAllStringSubmatch(string(readme), -1) {
		inReadme = append(inReadme, m[1])
	}
	bs := blocks(t)
	require.NotEmpty(t, bs)
	known := map[string]bool{}
	for name, b := range bs {
		known[b] = true
		assert.Contains(t, inReadme, b, "README.md lacks block %q (copy it from examples/readme/readme.go)", name)
	}
	for _, b := range inReadme {
		if strings.HasPrefix(b, "import") {
			continue // import lists are checked by compiling readme.go
		}
		assert.True(t, known[b], "README.md block is not in examples/readme/readme.go (keep them identical):\n%s", b)
	}
}

func captureStdout(t *testing.T, f func() error) (string, error) {
	t.Helper()
	old := os.Stdout
	r, w, err := os.Pipe()
	require.NoError(t, err)
	os.Stdout = w
	done := make(chan string)
	go func() { b, _ := io.ReadAll(r); done <- string(b) }()
	ferr := f()
	w.Close()
	os.Stdout = old
	return <-done, ferr
}

func TestREADMEBlocksRunAgainstFakes(t *testing.T) {
	ctx := context.Background()

	wsrv := workivatest.NewServer(workivatest.WithActivities(3))
	defer wsrv.Close()
	wk, err := workiva.NewClient(workiva.WithBaseURL(wsrv.URL), workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
	require.NoError(t, err)
	out, err := captureStdout(t, func() error { return walk(ctx, wk, workivatest.OrganizationID) })
	require.NoError(t, err)
	assert.Equal(t, 3, strings.Count(out, "\n"), out)

	out, err = captureStdout(t, func() error { return handleErrors(ctx, wk, "no-such-id") })
	require.NoError(t, err)
	assert.Equal(t, "no such activity\n", out)
	out, err = captureStdout(t, func() error { return handleErrors(ctx, wk, "") })
	require.NoError(t, err)
	assert.Contains(t, out, "fix the call: activityID")

	// The nightly pattern: three nights, the fake gaining activities (some
	// stamped earlier) in between, the second night failing partway.
	nsrv := workivatest.NewServer(workivatest.WithActivities(120))
	defer nsrv.Close()
	nwk, err := workiva.NewClient(workiva.WithBaseURL(nsrv.URL), workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret),
		workiva.WithRetryPolicy(workiva.NoRetries))
	require.NoError(t, err)
	var nights string
	newest := nsrv.ActivityTime(119)
	for night := 1; night <= 4; night++ {
		if night == 2 {
			nsrv.FailNext(workivatest.Fault500) // night 2 fails: night 3 picks up its records
		}
		out, err := captureStdout(t, func() error { return nightly(ctx, nwk, workivatest.OrganizationID) })
		if night != 2 {
			require.NoError(t, err, "night %d", night)
		}
		nights += out
		nsrv.AppendActivities(newest.Add(time.Minute), newest.Add(2*time.Minute), newest.Add(-20*time.Minute))
		newest = newest.Add(2 * time.Minute)
	}
	nightIDs := strings.Fields(nights)
	seenIDs := map[string]int{}
	for i := 0; i < len(nightIDs); i += 3 {
		seenIDs[nightIDs[i]]++
	}
	assert.Len(t, seenIDs, 120+3*3, "every activity but the last night's appends")
	for id, n := range seenIDs {
		assert.Equal(t, 1, n, id)
	}

	ssrv := sdelementstest.NewServer(sdelementstest.WithActivities(1200), sdelementstest.WithEpoch(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)))
	defer ssrv.Close()
	// The second request of the first run fails with a 404 (not retried).
	sde, err := sdelements.NewClient(sdelements.WithBaseURL(ssrv.URL), sdelements.WithToken(sdelementstest.Token),
		sdelements.WithHTTPClient(&http.Client{Transport: &failNth{n: 2}}))
	require.NoError(t, err)
	out1, err := captureStdout(t, func() error { return pages(ctx, sde) })
	require.Error(t, err, "a failed page stops the walk")
	out2, err := captureStdout(t, func() error { return pages(ctx, sde) })
	require.NoError(t, err)
	assert.Equal(t, 1200, strings.Count(out1+out2, "\n"), "resumed without loss or repeat")

	asrv := activtraktest.NewServer(activtraktest.WithDays(2), activtraktest.WithRecordsPerDay(50), activtraktest.WithToday(time.Now()))
	defer asrv.Close()
	at, err := activtrak.NewClient(activtrak.WithBaseURL(asrv.URL), activtrak.WithAPIKey(activtraktest.APIKey))
	require.NoError(t, err)
	fctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err = captureStdout(t, func() error { return follow(fctx, at) })
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	csrv := closetest.NewServer()
	defer csrv.Close()
	cl, err := closeapi.NewClient(closeapi.WithBaseURL(csrv.URL), closeapi.WithAPIKey(closetest.APIKey))
	require.NoError(t, err)
	out, err = captureStdout(t, func() error { return report(ctx, cl) })
	require.NoError(t, err)
	assert.Equal(t, len(csrv.Users()), strings.Count(out, "\n"))

	ansrv := analyticstest.NewServer()
	defer ansrv.Close()
	an, err := analytics.NewClient(analytics.WithBaseURL(ansrv.URL), analytics.WithToken(analyticstest.Token))
	require.NoError(t, err)
	out, err = captureStdout(t, func() error { return series(ctx, an, analyticstest.ClientID, analyticstest.UserID) })
	require.NoError(t, err)
	assert.Equal(t, "Total Activity 365 days\n", out)
	out, err = captureStdout(t, func() error {
		return utilization(ctx, an, analyticstest.ClientID, analyticstest.CategoryID(2),
			time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC))
	})
	require.NoError(t, err)
	rows := strings.Split(strings.TrimSpace(out), "\n")
	assert.Greater(t, len(rows), 5)
	assert.Regexp(t, `^(Mail|Notes) \d+ \d+ [\d.]+ h$`, rows[0], "category 2 holds apps 2, 8, 14, ...: Mail and Notes")

	n, err := fakeWalk(ctx)
	require.NoError(t, err)
	assert.Equal(t, 5000, n)

	t.Setenv("ACTIVTRAK_API_KEY", "k-123456")
	c, err := policy()
	require.NoError(t, err)
	assert.NotNil(t, c)
}

func TestREADMEClientsNeedCredentials(t *testing.T) {
	for _, v := range []string{"WORKIVA_CLIENT_ID", "WORKIVA_CLIENT_SECRET", "ACTIVTRAK_API_KEY", "SDE_API_TOKEN", "CLOSE_API_KEY", "ANALYTICS_API_TOKEN"} {
		t.Setenv(v, "")
	}
	err := newClients()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithClientCredentials")
	for _, v := range []string{"WORKIVA_CLIENT_ID", "WORKIVA_CLIENT_SECRET", "ACTIVTRAK_API_KEY", "SDE_API_TOKEN", "CLOSE_API_KEY", "ANALYTICS_API_TOKEN"} {
		t.Setenv(v, "secret-value-"+v)
	}
	require.NoError(t, newClients())
}

// failNth answers the n-th request with a 404 and passes the others on.
type failNth struct {
	n     int
	count atomic.Int32
}

func (f *failNth) RoundTrip(r *http.Request) (*http.Response, error) {
	if int(f.count.Add(1)) == f.n {
		return &http.Response{StatusCode: 404, Status: "404 Not Found", Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	}
	return http.DefaultTransport.RoundTrip(r)
}
