package core

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Auth produces the Authorization header value for a request. It is called
// with the request's context before every attempt.
type Auth interface {
	Authorization(ctx context.Context) (string, error)
}

// Refresher is an Auth whose credential can be renewed. After a 401 the
// client calls Invalidate with the header value that failed; if it returns
// true the request is retried once with a fresh value.
type Refresher interface {
	Auth
	Invalidate(failed string) bool
}

// Secreter is an Auth that can name its secrets, so that they are redacted
// from error bodies and messages.
type Secreter interface {
	Secrets() []string
}

type staticAuth struct {
	value   string
	secrets []string
}

func (a staticAuth) Authorization(context.Context) (string, error) { return a.value, nil }
func (a staticAuth) Secrets() []string                             { return a.secrets }

// BasicAuth sends HTTP Basic credentials.
func BasicAuth(user, password string) Auth {
	v := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	return staticAuth{value: v, secrets: nonEmpty(user, password, strings.TrimPrefix(v, "Basic "))}
}

// BearerToken sends "Authorization: Bearer <token>".
func BearerToken(token string) Auth {
	return staticAuth{value: "Bearer " + token, secrets: nonEmpty(token)}
}

// HeaderNamer is an Auth whose value goes in a header other than
// Authorization (an API key header such as "x-api-key").
type HeaderNamer interface {
	HeaderName() string
}

type headerAuth struct {
	staticAuth
	name string
}

func (a headerAuth) HeaderName() string { return a.name }

// APIKeyHeader sends "<name>: <key>" (and no Authorization header), only to
// the base URL's host, like every Auth. The name goes on the wire as given
// ("x-api-key", as the provider's document spells it), not canonicalised.
func APIKeyHeader(name, key string) Auth {
	return headerAuth{staticAuth: staticAuth{value: key, secrets: nonEmpty(key)}, name: name}
}

// SchemeToken sends "Authorization: <scheme> <token>", e.g. "Token abc".
func SchemeToken(scheme, token string) Auth {
	return staticAuth{value: scheme + " " + token, secrets: nonEmpty(token)}
}

// CheckToken checks a credential value before it is used: not empty, and no
// spaces or control characters (which no API issues and which would make
// every request fail on an invalid header). The value is never echoed.
func CheckToken(what, v string) error {
	if v == "" {
		return fmt.Errorf("%s is empty", what)
	}
	if strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("%s must not contain spaces or control characters", what)
	}
	return nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if len(s) >= 4 {
			out = append(out, s)
		}
	}
	return out
}

// AuthError wraps a failure to obtain a credential (a token endpoint answer or
// an unreachable token URL). Retryable says whether the request may be tried
// again (429, 5xx or a connection error at the token endpoint).
type AuthError struct {
	Err       error
	Retryable bool
}

func (e *AuthError) Error() string { return "obtaining access token: " + errorString(e.Err) }
func (e *AuthError) Unwrap() error { return e.Err }

// TokenFetcher obtains a new token using ctx for the exchange.
type TokenFetcher func(ctx context.Context) (*oauth2.Token, error)

// CachedToken caches a bearer token from a TokenFetcher and renews it Early
// before it expires, on the request's own context. It is safe for concurrent
// use; concurrent callers that find the token stale share one fetch.
type CachedToken struct {
	fetch TokenFetcher
	early time.Duration
	now   func() time.Time

	mu       sync.Mutex
	tok      *oauth2.Token
	renewAt  time.Time // zero: keep until a 401
	inflight chan struct{}
	lastErr  error
	// previous holds the tokens replaced by a renewal or dropped after a
	// 401, newest last, for redaction while they may still be valid.
	previous []*oauth2.Token
}

// keptTokens bounds CachedToken.previous.
const keptTokens = 4

// retire keeps t for redaction; c.mu is held.
func (c *CachedToken) retire(t *oauth2.Token) {
	if t == nil || t.AccessToken == "" {
		return
	}
	for _, p := range c.previous {
		if p.AccessToken == t.AccessToken {
			return
		}
	}
	c.previous = append(c.previous, t)
	if len(c.previous) > keptTokens {
		c.previous = append([]*oauth2.Token(nil), c.previous[len(c.previous)-keptTokens:]...)
	}
}

// ClockSetter is an Auth whose notion of time (token expiry) can be set; New
// hands it Settings.Clock when one is set. An Auth that wraps another
// forwards it.
type ClockSetter interface {
	SetClock(now func() time.Time)
}

// SetClock implements ClockSetter: now is read for expiry and renewal. It is
// meant for tests and must be called before the token is used.
func (c *CachedToken) SetClock(now func() time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now
}

// NewCachedToken returns a CachedToken over fetch that renews a token early
// before it expires, or at nine tenths of its life when that comes sooner (a
// token living 60s with early 1m is renewed after 54s, not on every call). A
// token with no expiry is kept until a 401.
func NewCachedToken(fetch TokenFetcher, early time.Duration) *CachedToken {
	return &CachedToken{fetch: fetch, early: early, now: time.Now}
}

// fresh reports whether the cached token may still be sent; c.mu is held.
func (c *CachedToken) fresh() bool {
	if c.tok == nil || c.tok.AccessToken == "" {
		return false
	}
	return c.renewAt.IsZero() || c.now().Before(c.renewAt)
}

// renewal is when a token fetched now is due for renewal.
func (c *CachedToken) renewal(t *oauth2.Token) time.Time {
	if t.Expiry.IsZero() {
		return time.Time{}
	}
	life := t.Expiry.Sub(c.now())
	return t.Expiry.Add(-max(0, min(c.early, life/10)))
}

// Token returns a valid token, fetching one with ctx when needed.
func (c *CachedToken) Token(ctx context.Context) (*oauth2.Token, error) {
	for {
		c.mu.Lock()
		if c.fresh() {
			t := c.tok
			c.mu.Unlock()
			return t, nil
		}
		if c.inflight != nil {
			ch := c.inflight
			c.mu.Unlock()
			select {
			case <-ch:
				c.mu.Lock()
				t, err, ok := c.tok, c.lastErr, c.fresh()
				c.mu.Unlock()
				if err == nil && ok {
					return t, nil
				}
				if err != nil && ctx.Err() == nil && !isCtxErr(err) {
					return nil, err
				}
				continue // the other fetch was cancelled: try with our context
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		ch := make(chan struct{})
		c.inflight = ch
		c.mu.Unlock()
		t, err := c.fetchOnce(ctx, ch)
		if err != nil {
			return nil, err
		}
		return t, nil
	}
}

// fetchOnce runs the fetch and publishes its result to the waiters on ch,
// even if the fetch panics.
func (c *CachedToken) fetchOnce(ctx context.Context, ch chan struct{}) (t *oauth2.Token, err error) {
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, fmt.Errorf("token fetch panicked: %v", p)
		}
		c.mu.Lock()
		c.inflight = nil
		c.lastErr = err
		if err == nil {
			if life := expiresIn(t); life > 0 {
				// The token endpoint's expires_in, counted on this token's
				// clock (oauth2 counts it on the wall clock).
				cp := *t
				cp.Expiry = c.now().Add(life)
				t = &cp
			}
			if c.tok != nil && c.tok.AccessToken != t.AccessToken {
				c.retire(c.tok)
			}
			c.tok, c.renewAt = t, c.renewal(t)
		}
		close(ch)
		c.mu.Unlock()
	}()
	t, err = c.fetch(ctx)
	if err == nil && (t == nil || t.AccessToken == "") {
		err = errors.New("token endpoint answered without an access_token")
	}
	return t, err
}

// expiresIn is the token endpoint's expires_in, 0 when it sent none.
// clientcredentials keeps it only among the answer's extra fields.
func expiresIn(t *oauth2.Token) time.Duration {
	secs := float64(t.ExpiresIn)
	if secs <= 0 {
		switch v := t.Extra("expires_in").(type) {
		case float64:
			secs = v
		case json.Number:
			secs, _ = v.Float64()
		case string:
			secs, _ = strconv.ParseFloat(v, 64)
		}
	}
	if !(secs > 0 && secs < 1e9) {
		return 0
	}
	return time.Duration(secs * float64(time.Second))
}

func isCtxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Authorization implements Auth.
func (c *CachedToken) Authorization(ctx context.Context) (string, error) {
	t, err := c.Token(ctx)
	if err != nil {
		return "", err
	}
	return bearerValue(t), nil
}

// Invalidate drops the cached token if it is the one that failed.
func (c *CachedToken) Invalidate(failed string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok != nil && bearerValue(c.tok) == failed {
		c.retire(c.tok)
		c.tok = nil
	}
	return true
}

// Secrets implements Secreter: the current access token and the last few it
// replaced (renewed early, or dropped after a 401) until they expire. An
// answer to a request sent with an earlier token may echo it.
func (c *CachedToken) Secrets() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	now := c.now()
	for _, p := range c.previous {
		if p.Expiry.IsZero() || now.Before(p.Expiry) {
			out = append(out, nonEmpty(p.AccessToken)...)
		}
	}
	if c.tok != nil {
		out = append(out, nonEmpty(c.tok.AccessToken)...)
	}
	return out
}

func bearerValue(t *oauth2.Token) string {
	// token_type is compared case-insensitively; anything but bearer is sent as
	// given, which no provider here uses.
	typ := t.Type()
	if strings.EqualFold(typ, "bearer") || typ == "" {
		typ = "Bearer"
	}
	return typ + " " + t.AccessToken
}

// TokenSourceAuth adapts a user's oauth2.TokenSource. The source's own
// caching decides when it refreshes; after a 401 the request is retried once
// with whatever token the source then returns. Use NewTokenSourceAuth.
type TokenSourceAuth struct {
	Source oauth2.TokenSource

	mu     sync.Mutex
	recent []string // the last few tokens handed out, for redaction
}

// NewTokenSourceAuth wraps ts.
func NewTokenSourceAuth(ts oauth2.TokenSource) *TokenSourceAuth { return &TokenSourceAuth{Source: ts} }

// Secrets implements Secreter: the tokens the source returned lately.
func (a *TokenSourceAuth) Secrets() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.recent...)
}

func (a *TokenSourceAuth) remember(tok string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, t := range a.recent {
		if t == tok {
			return
		}
	}
	a.recent = append(a.recent, tok)
	if len(a.recent) > 4 {
		a.recent = a.recent[len(a.recent)-4:]
	}
}

// Authorization implements Auth.
func (a *TokenSourceAuth) Authorization(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	t, err := a.Source.Token()
	if err != nil {
		return "", &AuthError{Err: err, Retryable: retryableTokenErr(err)}
	}
	if t == nil || t.AccessToken == "" {
		return "", &AuthError{Err: errors.New("token source returned an empty token")}
	}
	if len(t.AccessToken) >= 4 {
		a.remember(t.AccessToken)
	}
	return bearerValue(t), nil
}

// Invalidate implements Refresher: one retry with the source's next token.
func (a *TokenSourceAuth) Invalidate(string) bool { return true }

// retryableTokenErr says whether a token fetch failure may pass.
func retryableTokenErr(err error) bool {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response == nil {
			return false
		}
		s := re.Response.StatusCode
		return s == http.StatusTooManyRequests || s >= 500
	}
	if isCtxErr(err) || errors.Is(err, ErrCrossHostRedirect) {
		return false
	}
	// A transport error reaching the token endpoint.
	return true
}

// ClientCredentials is the OAuth2 client-credentials exchange, run on the
// request's context through client (which carries the SDK's rate limit and
// redirect rules). The client id and secret go in the form body
// (grant_type=client_credentials&client_id=...&client_secret=...[&scope=...]),
// never in HTTP Basic; header (X-Version, User-Agent) is added to the token
// request.
func ClientCredentials(tokenURL, clientID, clientSecret string, scopes []string, header http.Header, client *http.Client) TokenFetcher {
	client = withHeader(client, header)
	return func(ctx context.Context) (*oauth2.Token, error) {
		cfg := oauth2ClientCredentials(tokenURL, clientID, clientSecret, scopes)
		ctx = context.WithValue(ctx, oauth2.HTTPClient, client)
		t, err := cfg.Token(ctx)
		if err != nil {
			return nil, &AuthError{Err: err, Retryable: retryableTokenErr(err)}
		}
		return t, nil
	}
}

// TokenEndpointError describes a token endpoint's error answer.
func TokenEndpointError(err error) (status int, code, description, uri string, ok bool) {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return 0, "", "", "", false
	}
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	return status, re.ErrorCode, re.ErrorDescription, re.ErrorURI, true
}

// String for debugging never prints secrets.
func (c *CachedToken) String() string { return fmt.Sprintf("CachedToken(early=%s)", c.early) }
