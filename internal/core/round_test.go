package core

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The 401 refresh is one of decideRetry's answers inside retryablehttp's
// loop: these tests pin what the separate loop it replaced did.

// rejectFirst serves an API that refuses countingSource's first n tokens
// (TokenSourceAuth asks its source before every attempt).
func rejectFirst(t *testing.T, n int) *fakeserver.Server {
	refused := map[string]bool{}
	for i := 1; i <= n; i++ {
		refused[fmt.Sprintf("user-%d", i)] = true
	}
	srv := fakeserver.New(fakeserver.Config{
		Auth: fakeserver.CheckBearer(func(tok string) bool { return !refused[tok] }),
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fakeserver.WriteJSON(w, 200, map[string]bool{"ok": true})
		}),
	})
	t.Cleanup(srv.Close)
	return srv
}

// TestRefreshEvenWithNoRetries: the refresh is outside the retry budget.
func TestRefreshEvenWithNoRetries(t *testing.T) {
	t.Parallel()
	srv := rejectFirst(t, 1)
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Auth = NewTokenSourceAuth(&countingSource{})
		c.Settings.Retry = NoRetries
	})
	resp, err := cl.Do(context.Background(), &Request{Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	assert.Equal(t, 2, resp.Attempts)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "Bearer user-2", reqs[1].Header.Get("Authorization"))
}

// TestRefreshStartsANewRound: retries before the 401 do not eat the budget
// of the attempts after the refresh, and Attempts counts them all.
func TestRefreshStartsANewRound(t *testing.T) {
	t.Parallel()
	srv := rejectFirst(t, 4)
	logger, logs := newLogger()
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Auth = NewTokenSourceAuth(&countingSource{})
		c.Settings.Logger = logger
	})
	pass := fakeserver.Fault{Kind: fakeserver.Slow} // answered normally: user-4 gets the 401
	srv.FailNext(fakeserver.Fault503, fakeserver.Fault503, fakeserver.Fault503, pass,
		fakeserver.Fault503, fakeserver.Fault503, fakeserver.Fault503)
	resp, err := cl.Do(context.Background(), &Request{Path: "/x"})
	require.NoError(t, err, "fastRetry's 3 retries before the 401, 3 more after it")
	resp.Release()
	assert.Equal(t, 8, resp.Attempts)
	assert.Contains(t, logs.String(), `reason="401: credential refreshed" attempt=5 wait=0s`)
	assert.Contains(t, logs.String(), `status=200 attempt=8`, "attempts are numbered across the refresh")

	// Once refreshed, a second 401 is the answer.
	srv.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 401}, fakeserver.Fault{Kind: fakeserver.Status, Status: 401})
	_, err = cl.Do(context.Background(), &Request{Path: "/x"})
	var info *ErrorInfo
	require.ErrorAs(t, err, &info)
	assert.Equal(t, 401, info.StatusCode)
	assert.Equal(t, 2, info.Attempts)
}

// TestTokenFailureAfterRefreshIsRetried: the first attempt after a refresh
// gets its credential like a call's first attempt, a transient token
// endpoint failure retried under the policy.
func TestTokenFailureAfterRefreshIsRetried(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, time.Hour)
	cl := ccClient(t, ts, "client-secret-value", nil)
	resp, err := cl.Do(context.Background(), &Request{Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	ts.revoke()
	ts.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 503, Path: "/oauth2/token"},
		fakeserver.Fault{Kind: fakeserver.Status, Status: 502, Path: "/oauth2/token"})
	resp, err = cl.Do(context.Background(), &Request{Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	assert.Equal(t, 2, resp.Attempts, "the 401 and the retry; token fetches are not attempts")
	assert.Equal(t, int32(2), ts.issued.Load())
}

// TestSettingsClockAndJitter: Settings.Clock reaches the client's token (its
// expires_in is counted on it), and Settings.Jitter draws the backoff.
func TestSettingsClockAndJitter(t *testing.T) {
	t.Parallel()
	ts := newTokenServer(t, 100*time.Second)
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	logger, logs := newLogger()
	cl := ccClient(t, ts, "client-secret-value", func(c *Config) {
		c.Settings.Clock = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		c.Settings.Jitter = func(n int64) int64 { return n - 1 } // always the ceiling
		c.Settings.Logger = logger
	})
	call := func() {
		resp, err := cl.Do(context.Background(), &Request{Path: "/x"})
		require.NoError(t, err)
		resp.Release()
	}
	call()
	advance(94 * time.Second)
	call()
	assert.Equal(t, int32(1), ts.issued.Load(), "100s token, renewed 5s early: still fresh at 94s")
	advance(2 * time.Second)
	call()
	assert.Equal(t, int32(2), ts.issued.Load(), "renewed at 96s on the client's clock")

	ts.FailNext(fakeserver.Fault503, fakeserver.Fault503, fakeserver.Fault503)
	call()
	for _, w := range []string{"wait=1ms", "wait=2ms", "wait=4ms"} {
		assert.Contains(t, logs.String(), w, "fastRetry's backoff ceilings, drawn by Jitter")
	}
}

// onLog returns a logger that calls f when an event with message msg is
// logged: a test acts at that point instead of sleeping until it comes.
func onLog(msg string, f func()) *slog.Logger { return slog.New(onLogHandler{msg, f}) }

type onLogHandler struct {
	msg string
	f   func()
}

func (h onLogHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h onLogHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.f()
	}
	return nil
}
func (h onLogHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h onLogHandler) WithGroup(string) slog.Handler      { return h }
