package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestDecideRetry is the retry rule as a table, on the pure function alone:
// no server, no clock, no randomness (the jitter draws its maximum, so a
// backoff wait is its ceiling: 100ms, 200ms, 400ms, ... up to 1s).
func TestDecideRetry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	policy := RetryPolicy{MaxRetries: 3, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, MaxRetryAfter: 10 * time.Second}
	ceiling := func(n int64) int64 { return n - 1 }

	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	hint := func(d time.Duration) func() (time.Duration, bool) {
		return func() (time.Duration, bool) { return d, true }
	}
	get := func(try, status int, h http.Header) retryInput {
		return retryInput{try: try, idempotent: true, status: status, header: h, now: now}
	}
	post := func(try, status int, h http.Header) retryInput {
		in := get(try, status, h)
		in.idempotent = false
		return in
	}
	with := func(in retryInput, f func(*retryInput)) retryInput { f(&in); return in }
	connErr := &url.Error{Op: "Get", URL: "https://h.example/x", Err: syscall.ECONNRESET}
	noAnswer := func(idempotent bool, err error) retryInput {
		return retryInput{try: 1, idempotent: idempotent, err: err, now: now}
	}
	answerErr := func(idempotent bool, err error) retryInput {
		return retryInput{try: 1, idempotent: idempotent, status: 200, err: err, now: now}
	}
	authErr := func(try int, err error) retryInput {
		return retryInput{try: try, auth: true, err: err, now: now}
	}
	truncated := fmt.Errorf("reading response body: %w: %w", ErrTruncated, errors.New("unexpected EOF"))
	tooLarge := fmt.Errorf("%w: the body passed the limit of 10 bytes", ErrBodyTooLarge)

	type want struct {
		retry      bool
		wait       time.Duration
		giveUp     bool
		retryAfter time.Duration
		refresh    bool
		reason     string // a substring of the reason; "" means the reason is empty
	}
	cases := []struct {
		name   string
		in     retryInput
		policy *RetryPolicy
		want   want
	}{
		// 429 and 503, with and without the server's wait.
		{"429 without Retry-After: backoff", get(1, 429, nil), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "status 429"}},
		{"429 second retry: backoff doubles", get(2, 429, nil), nil, want{retry: true, wait: 200 * time.Millisecond, reason: "status 429"}},
		{"429 Retry-After seconds", get(1, 429, hdr("Retry-After", "2")), nil, want{retry: true, wait: 2 * time.Second, retryAfter: 2 * time.Second, reason: "status 429"}},
		{"429 Retry-After fractional", get(1, 429, hdr("Retry-After", "0.05")), nil, want{retry: true, wait: 50 * time.Millisecond, retryAfter: 50 * time.Millisecond, reason: "status 429"}},
		{"429 Retry-After HTTP date", get(1, 429, hdr("Retry-After", now.Add(3*time.Second).Format(http.TimeFormat))), nil, want{retry: true, wait: 3 * time.Second, retryAfter: 3 * time.Second, reason: "status 429"}},
		{"429 Retry-After-Ms is the finer hint", get(1, 429, hdr("Retry-After-Ms", "250", "Retry-After", "9")), nil, want{retry: true, wait: 250 * time.Millisecond, retryAfter: 250 * time.Millisecond, reason: "status 429"}},
		{"429 malformed Retry-After: backoff", get(1, 429, hdr("Retry-After", "soon")), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "status 429"}},
		{"429 Retry-After 0: at once", get(1, 429, hdr("Retry-After", "0")), nil, want{retry: true, wait: 0, reason: "status 429"}},
		{"429 provider hint without header", with(get(1, 429, nil), func(in *retryInput) { in.hint = hint(1500 * time.Millisecond) }), nil,
			want{retry: true, wait: 1500 * time.Millisecond, retryAfter: 1500 * time.Millisecond, reason: "status 429"}},
		{"429 header wins over provider hint", with(get(1, 429, hdr("Retry-After", "1")), func(in *retryInput) { in.hint = hint(7 * time.Second) }), nil,
			want{retry: true, wait: time.Second, retryAfter: time.Second, reason: "status 429"}},
		{"503 provider hint", with(get(1, 503, nil), func(in *retryInput) { in.hint = hint(time.Second) }), nil, want{retry: true, wait: time.Second, retryAfter: time.Second, reason: "status 503"}},
		{"500 provider hint not asked", with(get(1, 500, nil), func(in *retryInput) { in.hint = hint(7 * time.Second) }), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "status 500"}},
		{"provider's own wait reading replaces Retry-After", with(get(1, 429, hdr("Retry-After", "60")), func(in *retryInput) {
			in.waitHint, in.hint = hint(20*time.Millisecond), hint(7*time.Second)
		}), nil, want{retry: true, wait: 20 * time.Millisecond, retryAfter: 20 * time.Millisecond, reason: "status 429"}},
		{"provider's own wait reading on a 500", with(get(1, 500, nil), func(in *retryInput) { in.waitHint = hint(time.Second) }), nil,
			want{retry: true, wait: time.Second, retryAfter: time.Second, reason: "status 500"}},
		{"provider's own wait reading finds none: backoff", with(get(1, 503, hdr("Retry-After", "5")), func(in *retryInput) {
			in.waitHint = func() (time.Duration, bool) { return 0, false }
		}), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "status 503"}},
		{"Retry-After past MaxRetryAfter: at once, RetryAfter set", get(1, 429, hdr("Retry-After", "3600")), nil,
			want{wait: time.Hour, giveUp: true, retryAfter: time.Hour, reason: "status 429 (server asked to wait 1h0m0s, more than MaxRetryAfter 10s)"}},
		{"provider hint past MaxRetryAfter", with(get(1, 503, nil), func(in *retryInput) { in.hint = hint(48 * time.Hour) }), nil,
			want{wait: 48 * time.Hour, giveUp: true, retryAfter: 48 * time.Hour, reason: "more than MaxRetryAfter"}},

		// The deadline rule.
		{"hint past the deadline: at once, RetryAfter set", with(get(1, 503, hdr("Retry-After", "5")), func(in *retryInput) { in.deadline = now.Add(2 * time.Second) }), nil,
			want{wait: 5 * time.Second, giveUp: true, retryAfter: 5 * time.Second, reason: "status 503 (wait 5s would pass the context deadline)"}},
		{"backoff past the deadline", with(get(1, 503, nil), func(in *retryInput) { in.deadline = now.Add(50 * time.Millisecond) }), nil,
			want{wait: 100 * time.Millisecond, giveUp: true, reason: "(wait 100ms would pass the context deadline)"}},
		{"backoff ending at the deadline", with(get(1, 503, nil), func(in *retryInput) { in.deadline = now.Add(100 * time.Millisecond) }), nil,
			want{retry: true, wait: 100 * time.Millisecond, reason: "status 503"}},
		{"wait within the deadline", with(get(1, 503, hdr("Retry-After", "1")), func(in *retryInput) { in.deadline = now.Add(2 * time.Second) }), nil,
			want{retry: true, wait: time.Second, retryAfter: time.Second, reason: "status 503"}},

		// 5xx: GET against a POST that is not safe to repeat.
		{"500 GET", get(1, 500, nil), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "status 500"}},
		{"502 GET", get(1, 502, nil), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "status 502"}},
		{"504 GET", get(1, 504, nil), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "status 504"}},
		{"500 POST", post(1, 500, nil), nil, want{}},
		{"502 POST", post(1, 502, nil), nil, want{}},
		{"504 POST with Retry-After: not retried, RetryAfter kept", post(1, 504, hdr("Retry-After", "3")), nil, want{retryAfter: 3 * time.Second}},
		{"503 POST", post(1, 503, nil), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "status 503"}},
		{"429 POST", post(1, 429, nil), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "status 429"}},
		{"501 GET", get(1, 501, nil), nil, want{}},

		// Other answers.
		{"200", get(1, 200, nil), nil, want{}},
		{"204", get(1, 204, nil), nil, want{}},
		{"400 with Retry-After: RetryAfter kept", get(1, 400, hdr("Retry-After", "30")), nil, want{retryAfter: 30 * time.Second}},
		{"403", get(1, 403, nil), nil, want{}},
		{"404", get(1, 404, nil), nil, want{}},
		{"409", get(1, 409, nil), nil, want{}},
		{"401 not refreshable", get(1, 401, nil), nil, want{}},
		{"401 refreshable: once, at once", with(get(1, 401, nil), func(in *retryInput) { in.refreshable = true }), nil,
			want{retry: true, refresh: true, reason: "401: credential refreshed"}},
		{"401 refreshable outside the budget", with(get(4, 401, nil), func(in *retryInput) { in.refreshable = true }), nil,
			want{retry: true, refresh: true, reason: "401: credential refreshed"}},
		{"401 refreshable with no retries", with(get(1, 401, nil), func(in *retryInput) { in.refreshable = true }), &NoRetries,
			want{retry: true, refresh: true, reason: "401: credential refreshed"}},

		// No answer.
		{"connection reset GET", noAnswer(true, connErr), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "connection error: connection reset by peer"}},
		{"connection reset POST", noAnswer(false, connErr), nil, want{}},
		{"connection refused GET", noAnswer(true, &url.Error{Op: "Get", URL: "x", Err: syscall.ECONNREFUSED}), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "connection error: connection refused"}},
		{"http.Client.Timeout while the context lives", noAnswer(true, &url.Error{Op: "Get", URL: "x", Err: context.DeadlineExceeded}), nil,
			want{retry: true, wait: 100 * time.Millisecond, reason: "connection error: context deadline exceeded"}},
		{"connection error past the deadline", with(noAnswer(true, connErr), func(in *retryInput) { in.deadline = now.Add(time.Millisecond) }), nil,
			want{wait: 100 * time.Millisecond, giveUp: true, reason: "would pass the context deadline"}},
		{"unknown authority", noAnswer(true, &url.Error{Op: "Get", URL: "x", Err: x509.UnknownAuthorityError{}}), nil, want{}},
		{"certificate verification", noAnswer(true, &tls.CertificateVerificationError{Err: x509.HostnameError{Host: "h", Certificate: &x509.Certificate{}}}), nil, want{}},
		{"expired certificate", noAnswer(true, x509.CertificateInvalidError{Reason: x509.Expired, Cert: &x509.Certificate{}}), nil, want{}},
		{"TLS handshake", noAnswer(true, errors.New("remote error: tls: handshake failure")), nil, want{}},
		{"redirect to another host", noAnswer(true, fmt.Errorf("%w: https://evil.example", ErrCrossHostRedirect)), nil, want{}},
		{"rate-limit wait past the deadline", noAnswer(true, &rateWaitError{wait: time.Minute}), nil, want{}},
		{"too many redirects", noAnswer(true, errors.New("stopped after 10 redirects")), nil, want{}},

		// An answer whose body could not be used.
		{"truncated GET", answerErr(true, truncated), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "truncated body: reading response body: truncated answer: unexpected EOF"}},
		{"truncated POST", answerErr(false, truncated), nil, want{}},
		{"truncated GET, attempts exhausted", with(answerErr(true, truncated), func(in *retryInput) { in.try = 4 }), nil, want{reason: "truncated body"}},
		{"body too large GET", answerErr(true, tooLarge), nil, want{}},
		{"undecodable body GET", answerErr(true, fmt.Errorf("decoding response: %w", errors.New("json: cannot unmarshal"))), nil, want{}},

		// The caller's context ended: final, whatever the rest says.
		{"context cancelled on a 503", with(get(1, 503, nil), func(in *retryInput) { in.ctxErr = context.Canceled }), nil, want{}},
		{"context deadline on a connection error", with(noAnswer(true, connErr), func(in *retryInput) { in.ctxErr = context.DeadlineExceeded }), nil, want{}},
		{"context cancelled on a truncated body", with(answerErr(true, truncated), func(in *retryInput) { in.ctxErr = context.Canceled }), nil, want{}},
		{"context cancelled on a 401", with(get(1, 401, nil), func(in *retryInput) { in.ctxErr = context.Canceled; in.refreshable = true }), nil, want{}},
		{"context cancelled on a token failure", with(authErr(1, &AuthError{Err: connErr, Retryable: true}), func(in *retryInput) { in.ctxErr = context.Canceled }), nil, want{}},

		// Attempts exhausted.
		{"503 last retry", get(3, 503, nil), nil, want{retry: true, wait: 400 * time.Millisecond, reason: "status 503"}},
		{"503 attempts exhausted", get(4, 503, nil), nil, want{reason: "status 503"}},
		{"429 exhausted keeps RetryAfter, no give-up", get(4, 429, hdr("Retry-After", "3600")), nil, want{retryAfter: time.Hour, reason: "status 429"}},
		{"503 with NoRetries", get(1, 503, nil), &NoRetries, want{reason: "status 503"}},
		{"backoff stops growing at MaxBackoff", get(6, 503, nil), &RetryPolicy{MaxRetries: 10, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, MaxRetryAfter: time.Minute},
			want{retry: true, wait: time.Second, reason: "status 503"}},

		// A credential that could not be had: nothing was sent.
		{"token endpoint 503", authErr(1, &AuthError{Err: errors.New("oauth2: 503"), Retryable: true}), nil, want{retry: true, wait: 100 * time.Millisecond, reason: "token endpoint: obtaining access token: oauth2: 503"}},
		{"token endpoint unreachable, POST", with(authErr(2, &AuthError{Err: connErr, Retryable: true}), func(in *retryInput) { in.idempotent = false }), nil,
			want{retry: true, wait: 200 * time.Millisecond, reason: "token endpoint:"}},
		{"token endpoint invalid_client", authErr(1, &AuthError{Err: errors.New("invalid_client")}), nil, want{}},
		{"token source error that is no AuthError", authErr(1, errors.New("no creds")), nil, want{}},
		{"token endpoint, retries exhausted", authErr(4, &AuthError{Err: errors.New("oauth2: 503"), Retryable: true}), nil, want{reason: "token endpoint: obtaining access token: oauth2: 503"}},
		{"token endpoint, backoff past the deadline", with(authErr(1, &AuthError{Err: errors.New("oauth2: 503"), Retryable: true}), func(in *retryInput) { in.deadline = now.Add(time.Millisecond) }), nil,
			want{wait: 100 * time.Millisecond, giveUp: true, reason: "would pass the context deadline"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := policy
			if c.policy != nil {
				p = c.policy.withDefaults()
			}
			d := decideRetry(c.in, p, ceiling)
			got := want{retry: d.retry, wait: d.wait, giveUp: d.giveUp, retryAfter: d.retryAfter, refresh: d.refresh, reason: c.want.reason}
			if !d.retry && !d.giveUp {
				got.wait = c.want.wait // a wait that is not waited is not part of the answer
			}
			assert.Equal(t, c.want, got)
			if c.want.reason == "" {
				assert.Empty(t, d.reason)
			} else {
				assert.Contains(t, d.reason, c.want.reason)
			}
		})
	}
}

// TestDecideRetryJitter: the backoff's jitter comes from the injected
// source, over [MinBackoff, ceiling].
func TestDecideRetryJitter(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MaxRetries: 5, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, MaxRetryAfter: time.Minute}
	in := retryInput{try: 3, idempotent: true, status: 503, now: time.Unix(0, 0)}
	var asked int64
	d := decideRetry(in, p, func(n int64) int64 { asked = n; return 0 })
	assert.Equal(t, 100*time.Millisecond, d.wait, "the lowest draw waits MinBackoff")
	assert.Equal(t, int64(300*time.Millisecond)+1, asked, "drawn over [0, ceiling-min]: the third try's ceiling is 400ms")
	d = decideRetry(in, p, func(n int64) int64 { return n / 2 })
	assert.Equal(t, 250*time.Millisecond, d.wait)
}

// FuzzDecideRetry checks the rule's invariants on any input: a done context
// or a success is never retried; a retry waits no longer than the policy
// allows and ends by the deadline; the budget holds but for the one 401
// refresh; only the statuses and failures the rule names are retried.
func FuzzDecideRetry(f *testing.F) {
	f.Add(1, true, 503, "", int64(0), false, false, uint8(0), uint8(3), int64(100), int64(1000), int64(10000), int64(7))
	f.Add(4, false, 429, "3600", int64(2000), true, false, uint8(0), uint8(3), int64(1), int64(4), int64(2000), int64(0))
	f.Add(2, true, 0, "", int64(0), false, false, uint8(1), uint8(0), int64(0), int64(0), int64(0), int64(3))
	f.Add(1, true, 401, "", int64(0), false, true, uint8(0), uint8(0), int64(0), int64(0), int64(0), int64(1))
	f.Add(1, true, 200, "", int64(0), false, false, uint8(2), uint8(3), int64(10), int64(10), int64(10), int64(1))
	f.Fuzz(func(t *testing.T, try int, idempotent bool, status int, retryAfter string, deadlineMs int64, ctxDone, refreshable bool,
		errKind, maxRetries uint8, minMs, maxMs, maxAfterMs, seed int64) {
		now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
		p := RetryPolicy{MaxRetries: int(maxRetries % 12), MinBackoff: time.Duration(minMs%5000) * time.Millisecond,
			MaxBackoff: time.Duration(maxMs%60000) * time.Millisecond, MaxRetryAfter: time.Duration(maxAfterMs%600000) * time.Millisecond}
		if p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxRetryAfter < 0 {
			return
		}
		p = p.withDefaults()
		in := retryInput{try: try, idempotent: idempotent, status: status, header: http.Header{"Retry-After": {retryAfter}},
			refreshable: refreshable, now: now}
		if deadlineMs > 0 {
			in.deadline = now.Add(time.Duration(deadlineMs%3_600_000) * time.Millisecond)
		}
		if ctxDone {
			in.ctxErr = context.Canceled
		}
		switch errKind % 5 {
		case 1:
			in.status, in.err = 0, &url.Error{Op: "Get", URL: "x", Err: syscall.ECONNRESET}
		case 2: // a body fails only on an answer
			in.status, in.err = 200, fmt.Errorf("%w: cut", ErrTruncated)
		case 3:
			in.status, in.err = 200, fmt.Errorf("%w: big", ErrBodyTooLarge)
		case 4:
			in.auth, in.status, in.err = true, 0, &AuthError{Err: errors.New("503"), Retryable: seed%2 == 0}
		}
		r := rand.New(rand.NewPCG(uint64(seed), 1))
		d := decideRetry(in, p, func(n int64) int64 { return r.Int64N(n) })
		if !d.retry {
			return
		}
		switch {
		case ctxDone:
			t.Fatalf("retried with the context done: %+v", d)
		case in.err == nil && !in.auth && (status < 400 || (status != 401 && !retryableStatus(status, idempotent))):
			t.Fatalf("retried status %d (idempotent %v): %+v", status, idempotent, d)
		case errors.Is(in.err, ErrBodyTooLarge):
			t.Fatalf("retried a body past the cap: %+v", d)
		case !in.auth && in.err != nil && !idempotent:
			t.Fatalf("retried a failure of a request not safe to repeat: %+v", d)
		case d.refresh:
			if status != 401 || !refreshable || d.wait != 0 {
				t.Fatalf("refresh without a refreshable 401: %+v", d)
			}
			return
		case try > p.MaxRetries:
			t.Fatalf("retry %d past MaxRetries %d: %+v", try, p.MaxRetries, d)
		case d.wait < 0 || d.wait > max(p.MaxBackoff, p.MaxRetryAfter):
			t.Fatalf("wait %s outside the policy %+v", d.wait, p)
		case !in.deadline.IsZero() && now.Add(d.wait).After(in.deadline):
			t.Fatalf("wait %s passes the deadline", d.wait)
		case d.reason == "":
			t.Fatalf("a retry without a reason: %+v", d)
		}
	})
}
