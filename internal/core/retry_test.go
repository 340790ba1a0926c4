package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRetryDecision is the retry rule as a table: method x status (or
// connection failure) -> how many attempts the client makes.
func TestRetryDecision(t *testing.T) {
	t.Parallel()
	type tc struct {
		method    string
		retryable bool // POST marked safe to repeat
		fault     fakeserver.Fault
		attempts  int // with fastRetry (3 retries) and every attempt failing
	}
	st := func(code int) fakeserver.Fault { return fakeserver.Fault{Kind: fakeserver.Status, Status: code} }
	cases := []tc{
		{"GET", false, st(429), 4},
		{"GET", false, st(503), 4},
		{"GET", false, st(500), 4},
		{"GET", false, st(502), 4},
		{"GET", false, st(504), 4},
		{"GET", false, st(400), 1},
		{"GET", false, st(401), 1},
		{"GET", false, st(403), 1},
		{"GET", false, st(404), 1},
		{"GET", false, st(409), 1},
		{"GET", false, st(501), 1},
		{"GET", false, fakeserver.FaultDrop, 4},
		{"GET", false, fakeserver.FaultTruncate, 4},
		{"POST", false, st(429), 4},
		{"POST", false, st(503), 4},
		{"POST", false, st(500), 1},
		{"POST", false, st(502), 1},
		{"POST", false, st(504), 1},
		{"POST", false, fakeserver.FaultTruncate, 1},
		{"POST", true, st(500), 4},
		{"POST", true, st(502), 4},
		{"POST", true, st(504), 4},
		{"POST", true, fakeserver.FaultTruncate, 4},
		{"POST", true, fakeserver.FaultDrop, 4},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%s/retryable=%v/%s-%d", c.method, c.retryable, c.fault.Kind, c.fault.Status)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := echoServer(t, "")
			cl := newTestClient(t, srv.URL, nil)
			faults := make([]fakeserver.Fault, 10)
			for i := range faults {
				faults[i] = c.fault
			}
			srv.FailNext(faults...)
			req := &Request{Method: c.method, Path: "/x", Retryable: c.retryable}
			if c.method == "POST" {
				req.JSON = map[string]int{"a": 1}
			}
			_, err := cl.Do(context.Background(), req)
			require.Error(t, err)
			// The server log counts what arrived; Go's transport may re-send a
			// request on a dropped pooled connection by itself, so the SDK's
			// own count is the one to check.
			var info *ErrorInfo
			var reqErr *RequestError
			switch {
			case errors.As(err, &info):
				assert.Equal(t, c.attempts, info.Attempts, "attempts")
				assert.Equal(t, c.fault.Status, info.StatusCode)
			case errors.As(err, &reqErr):
				assert.Equal(t, c.attempts, reqErr.Attempts, "attempts: %v", err)
			default:
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
		})
	}
}

func TestRetryRecoversAndReplaysBody(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, nil)
	srv.FailNext(fakeserver.Fault503, fakeserver.Fault{Kind: fakeserver.Status, Status: 500}, fakeserver.FaultTruncate)
	var out struct{ OK bool }
	resp, err := cl.DoJSON(context.Background(), &Request{Method: "POST", Path: "/report/", Retryable: true,
		JSON: map[string]any{"type": "overview", "metrics": []string{"a"}}}, &out)
	require.NoError(t, err)
	assert.True(t, out.OK)
	assert.Equal(t, 4, resp.Attempts)
	reqs := srv.Requests()
	require.Len(t, reqs, 4)
	for _, r := range reqs {
		assert.JSONEq(t, `{"type":"overview","metrics":["a"]}`, string(r.Body), "body replayed on every attempt")
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	}
}

func TestRetriesExhaustedGiveTypedErrorOfLastAnswer(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, nil)
	srv.FailNext(fakeserver.Fault500, fakeserver.Fault502, fakeserver.Fault504,
		fakeserver.Fault{Kind: fakeserver.Status, Status: 503, Header: http.Header{"X-Request-Id": {"req-42"}}})
	_, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	var info *ErrorInfo
	require.ErrorAs(t, err, &info)
	assert.Equal(t, 503, info.StatusCode)
	assert.Equal(t, 4, info.Attempts)
	assert.Equal(t, "req-42", info.RequestID)
	assert.NotContains(t, err.Error(), "giving up")
	assert.Contains(t, err.Error(), "4 attempts")
	assert.Contains(t, err.Error(), "request id req-42")
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	logger, logs := newLogger()
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Settings.Logger = logger
		// A backoff far longer than the hint: the wait must come from the hint.
		c.Settings.Retry = RetryPolicy{MaxRetries: 2, MinBackoff: time.Minute, MaxBackoff: time.Minute, MaxRetryAfter: time.Second}
	})
	srv.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 429, RetryAfterRaw: "0.05"})
	start := time.Now()
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	assert.Less(t, time.Since(start), 20*time.Second, "waited the hint, not the backoff")
	assert.Contains(t, logs.String(), "wait=50ms")
	assert.Contains(t, logs.String(), `reason="status 429"`)
}

func TestProviderRetryHint(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	logger, logs := newLogger()
	var hintCalls atomic.Int32
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Settings.Logger = logger
		c.Settings.Retry = RetryPolicy{MaxRetries: 2, MinBackoff: time.Minute, MaxBackoff: time.Minute}
		c.RetryHint = func(h http.Header, body []byte) (time.Duration, bool) {
			hintCalls.Add(1)
			if strings.Contains(h.Get("RateLimit"), "reset=0.03") && strings.Contains(string(body), "injected") {
				return 30 * time.Millisecond, true
			}
			return 0, false
		}
	})
	srv.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 429, Header: http.Header{"Ratelimit": {"limit=1, remaining=0, reset=0.03"}}})
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	assert.Equal(t, int32(1), hintCalls.Load())
	assert.Contains(t, logs.String(), "wait=30ms")
}

// TestProviderWaitHintReplacesRetryAfter: a WaitHint decides the wait even
// when Retry-After is present (Close reads its RateLimit reset first), and it
// sees the status, the headers, the body and the client's clock.
func TestProviderWaitHintReplacesRetryAfter(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	logger, logs := newLogger()
	var calls atomic.Int32
	var gotStatus atomic.Int32
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Settings.Logger = logger
		c.Settings.Retry = RetryPolicy{MaxRetries: 2, MinBackoff: time.Minute, MaxBackoff: time.Minute}
		c.RetryHint = func(http.Header, []byte) (time.Duration, bool) {
			t.Error("RetryHint called although WaitHint is set")
			return 0, false
		}
		c.WaitHint = func(status int, h http.Header, body []byte, now time.Time) (time.Duration, bool) {
			calls.Add(1)
			gotStatus.Store(int32(status))
			if now.IsZero() || h.Get("Retry-After") != "60" || !strings.Contains(string(body), "injected") {
				return 0, false
			}
			return 20 * time.Millisecond, true
		}
	})
	srv.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 429, RetryAfter: time.Minute})
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	assert.Equal(t, int32(1), calls.Load())
	assert.Equal(t, int32(429), gotStatus.Load())
	assert.Contains(t, logs.String(), "wait=20ms")
}

func TestRetryAfterBeyondCapReturnsAtOnce(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Settings.Retry = RetryPolicy{MaxRetries: 5, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxRetryAfter: time.Second}
	})
	srv.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 429, RetryAfter: time.Hour})
	start := time.Now()
	_, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	elapsed := time.Since(start)
	var info *ErrorInfo
	require.ErrorAs(t, err, &info)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, time.Hour, info.RetryAfter)
	assert.Equal(t, 1, info.Attempts)
	assert.Less(t, elapsed, 5*time.Second)
	assert.Equal(t, int64(1), srv.RequestCount())
}

func TestWaitPastDeadlineReturnsAtOnce(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Settings.Retry = RetryPolicy{MaxRetries: 5, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxRetryAfter: time.Hour}
	})
	srv.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 503, RetryAfter: 30 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := cl.Do(ctx, &Request{Method: "GET", Path: "/x"})
	var info *ErrorInfo
	require.ErrorAs(t, err, &info)
	assert.Equal(t, 503, info.StatusCode)
	assert.Equal(t, 30*time.Second, info.RetryAfter)
	assert.Less(t, time.Since(start), time.Second, "returned at once instead of sleeping")
}

func TestContextCancelledDuringWait(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Settings.Retry = RetryPolicy{MaxRetries: 5, MinBackoff: time.Minute, MaxBackoff: time.Minute, MaxRetryAfter: time.Hour}
		c.Settings.Logger = onLog("activity-go: retry", cancel) // the wait starts: cancel it
	})
	srv.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 429, RetryAfter: 10 * time.Second})
	start := time.Now()
	_, err := cl.Do(ctx, &Request{Method: "GET", Path: "/x"})
	elapsed := time.Since(start)
	require.ErrorIs(t, err, context.Canceled)
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Less(t, elapsed, 2*time.Second, "returned promptly after cancel (%s)", elapsed)
}

func TestContextCancelledBeforeRequest(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := cl.Do(ctx, &Request{Method: "GET", Path: "/x"})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int64(0), srv.RequestCount())
}

func TestSlowAnswerAndClientTimeoutAreRetried(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Settings.HTTPClient = &http.Client{Timeout: 100 * time.Millisecond}
	})
	srv.FailNext(fakeserver.Fault{Kind: fakeserver.Slow, Delay: 5 * time.Second})
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	resp.Release()
}

func TestNoRetriesPolicy(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, func(c *Config) { c.Settings.Retry = NoRetries })
	srv.FailNext(fakeserver.Fault503)
	_, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	var info *ErrorInfo
	require.ErrorAs(t, err, &info)
	assert.Equal(t, 1, info.Attempts)
}

func TestStreamBodyLeftOpen(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, nil)
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/s", Stream: true})
	require.NoError(t, err)
	require.Nil(t, resp.Body)
	b, err := io.ReadAll(resp.Stream)
	require.NoError(t, err)
	require.NoError(t, resp.Stream.Close())
	assert.Contains(t, string(b), `"path":"/s"`)
}

func TestRequestErrorDefaultsMethodAndKeepsAuthError(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Auth = NewTokenSourceAuth(&countingSource{err: io.ErrUnexpectedEOF})
	})
	_, err := cl.Do(context.Background(), &Request{Path: "/x"})
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "GET", re.Method)
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.True(t, strings.HasPrefix(err.Error(), "test: GET http://"), err.Error())

	// The decoding error of DoJSON names the method the same way.
	var wrongShape []int // the echo server answers an object
	_, err = newTestClient(t, srv.URL, nil).DoJSON(context.Background(), &Request{Path: "/x"}, &wrongShape)
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "GET", re.Method)
}

// TestCertificateErrorsAreNotRetried: a failed certificate check is final,
// whether it comes wrapped by crypto/tls or bare from a custom transport.
func TestCertificateErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	for _, err := range []error{
		x509.UnknownAuthorityError{},
		x509.HostnameError{Host: "example.com", Certificate: &x509.Certificate{}},
		x509.CertificateInvalidError{Reason: x509.Expired, Cert: &x509.Certificate{}},
		&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}},
		fmt.Errorf("dial: %w", x509.UnknownAuthorityError{}),
	} {
		assert.False(t, retryableError(err), "%T", err)
	}

	srv := fakeserver.New(fakeserver.Config{TLS: true, Handler: http.NotFoundHandler()})
	defer srv.Close()
	cl := newTestClient(t, srv.URL, nil) // the default transport does not trust the test CA
	_, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	var reqErr *RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Equal(t, 1, reqErr.Attempts)
	assert.Zero(t, srv.RequestCount(), "the handshake failed: no request arrived")
}
