package core

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// retryInput is what the retry decision knows after one try: an attempt that
// got an answer (status and header, err set when its body could not be
// used), an attempt that got none (err), or, with auth set, a credential that
// could not be had (no request was sent).
type retryInput struct {
	// try counts the tries of this round, this one included: attempts since
	// the call started or since its credential was refreshed after a 401
	// (each round has the policy's whole budget), or token fetches when auth
	// is set.
	try        int
	idempotent bool // the request is safe to repeat
	auth       bool // the credential could not be had: err is the Auth's error
	// status and header describe the answer; status is 0 when there was none.
	status int
	header http.Header
	// err is the failure: the transport's error when there was no answer; for
	// an answer, its unusable body (ErrTruncated, ErrBodyTooLarge, a decoding
	// error); the Auth's error when auth is set.
	err error
	// ctxErr is the caller's context's error, nil while it is alive.
	ctxErr error
	// hint is the provider's wait hint (Config.RetryHint over the error
	// body), asked only for a 429 or 503 without a Retry-After header; nil
	// when the provider has none.
	hint func() (time.Duration, bool)
	// waitHint, when set, is the provider's own reading of the answer's wait
	// hint (Config.WaitHint), asked for every answer that is no success, in
	// place of Retry-After and hint.
	waitHint func() (time.Duration, bool)
	// refreshable says a 401 may be retried once with a renewed credential.
	refreshable bool
	// now and deadline (the context's, zero for none) place the wait.
	now, deadline time.Time
}

// retryDecision is what to do after a try.
type retryDecision struct {
	retry bool
	wait  time.Duration
	// reason says why it retries, or why a failure worth retrying is not
	// (logged); "" when there is nothing to retry.
	reason string
	// giveUp marks a failure worth retrying that is not retried because of
	// a wait: past MaxRetryAfter, or ending after the deadline.
	giveUp bool
	// retryAfter is the server's wait hint, reported in ErrorInfo.RetryAfter.
	retryAfter time.Duration
	// refresh says the retry needs the credential renewed (after a 401).
	refresh bool
}

// decideRetry is the retry rule. It reads nothing but its arguments; rnd(n)
// draws the backoff's jitter, uniform in [0, n).
//
//   - The caller's context ended: never.
//   - A credential that could not be had: when the Auth says it may pass
//     (*AuthError.Retryable: 429, 5xx or no answer at the token endpoint),
//     whatever the method, since nothing was sent.
//   - No answer: for a request safe to repeat, unless the failure is final
//     (certificates and TLS, a refused redirect, a malformed request, the
//     rate limit's wait passing the deadline).
//   - An answer whose body could not be used: a truncated one for a request
//     safe to repeat; a body past the cap or one that does not decode never.
//   - A 401 when the credential can be renewed: once, at once, outside the
//     budget (the round starts again).
//   - 429 and 503 for any request, 500, 502 and 504 for one safe to repeat;
//     other statuses never.
//
// A retry waits the server's hint (Retry-After-Ms, Retry-After, then the
// provider's) or else the full-jitter backoff; a hint past MaxRetryAfter or a
// wait ending after the deadline stops at once. No more than MaxRetries
// retries per round.
func decideRetry(in retryInput, p RetryPolicy, rnd func(int64) int64) retryDecision {
	if in.ctxErr != nil {
		return retryDecision{}
	}
	if in.auth {
		var ae *AuthError
		if !errors.As(in.err, &ae) || !ae.Retryable {
			return retryDecision{}
		}
		return schedule(in, p, rnd, "token endpoint: "+oneLine(in.err.Error()), 0, false)
	}
	if in.status == 0 {
		if in.err == nil || !in.idempotent || !retryableError(in.err) {
			return retryDecision{}
		}
		return schedule(in, p, rnd, "connection error: "+oneLine(unwrapURLError(in.err).Error()), 0, false)
	}
	if in.err != nil {
		if !in.idempotent || !errors.Is(in.err, ErrTruncated) {
			return retryDecision{}
		}
		return schedule(in, p, rnd, "truncated body: "+oneLine(in.err.Error()), 0, false)
	}
	if in.status >= 200 && in.status <= 299 {
		return retryDecision{}
	}
	var hint time.Duration
	var hasHint bool
	if in.waitHint != nil {
		hint, hasHint = in.waitHint()
	} else {
		hint, hasHint = retryAfterHeader(in.header, in.now)
		if !hasHint && in.hint != nil && (in.status == http.StatusTooManyRequests || in.status == http.StatusServiceUnavailable) {
			hint, hasHint = in.hint()
		}
	}
	if in.status == http.StatusUnauthorized && in.refreshable {
		return retryDecision{retry: true, refresh: true, reason: "401: credential refreshed", retryAfter: hint}
	}
	if !retryableStatus(in.status, in.idempotent) {
		return retryDecision{retryAfter: hint}
	}
	return schedule(in, p, rnd, fmt.Sprintf("status %d", in.status), hint, hasHint)
}

// schedule applies the budget, the cap on server waits and the deadline rule
// to a failure worth retrying.
func schedule(in retryInput, p RetryPolicy, rnd func(int64) int64, reason string, hint time.Duration, hasHint bool) retryDecision {
	d := retryDecision{reason: reason}
	if hasHint {
		d.retryAfter = hint
	}
	if in.try > p.MaxRetries {
		return d
	}
	d.wait = hint
	if hasHint && hint > p.MaxRetryAfter {
		d.reason += fmt.Sprintf(" (server asked to wait %s, more than MaxRetryAfter %s)", hint, p.MaxRetryAfter)
		d.giveUp = true
		return d
	}
	if !hasHint {
		d.wait = backoff(p.MinBackoff, p.MaxBackoff, in.try-1, rnd)
	}
	if !in.deadline.IsZero() && in.now.Add(d.wait).After(in.deadline) {
		d.reason += fmt.Sprintf(" (wait %s would pass the context deadline)", d.wait)
		d.giveUp = true
		return d
	}
	d.retry = true
	return d
}

// retryableStatus is the status rule: 429 and 503 for any request; 500, 502
// and 504 only for requests that are safe to repeat.
func retryableStatus(status int, idempotent bool) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return idempotent
	}
	return false
}

// retryableError says whether a transport error may pass on another attempt:
// connection resets, refused or dropped connections and timeouts yes (a
// context error here is an http.Client.Timeout expiry: the caller's context
// is looked at first); bad certificates, refused redirects, malformed
// requests and the rate limit's wait passing the deadline no.
func retryableError(err error) bool {
	if err == nil {
		return false
	}
	var rw *rateWaitError
	if errors.Is(err, ErrCrossHostRedirect) || errors.As(err, &rw) {
		return false
	}
	// The x509 errors are values, not pointers: a pointer target never
	// matches them.
	var verifyErr *tls.CertificateVerificationError
	var authorityErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	if errors.As(err, &verifyErr) || errors.As(err, &authorityErr) || errors.As(err, &hostErr) || errors.As(err, &invalidErr) {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"unsupported protocol scheme", "stopped after", "invalid header", "malformed HTTP", "tls: "} {
		if strings.Contains(msg, s) {
			return false
		}
	}
	return true
}
