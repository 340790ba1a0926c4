package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Config describes one provider's client to New.
type Config struct {
	// Provider is the package name, used in errors and logs.
	Provider string
	// Settings are the user's common options.
	Settings Settings
	// DefaultBaseURL is used when Settings.BaseURL is empty.
	DefaultBaseURL string
	// Auth sets the Authorization header; nil sends none.
	Auth Auth
	// NewAuth, when Auth is nil, builds the Auth from the client's HTTP client
	// (which carries the rate limit and the redirect rules) and its redactor
	// (RedactString, for texts an Auth keeps in its errors): for token
	// exchanges such as OAuth2 client credentials.
	NewAuth func(hc *http.Client, redact func(string) string) (Auth, error)
	// Header holds headers sent with every request (X-Version, Accept).
	Header http.Header
	// RequestIDHeaders are the answer headers read for the request id, in
	// order; X-Request-Id and X-Correlation-Id are always tried after them.
	RequestIDHeaders []string
	// NewError turns the shared ErrorInfo of a non-2xx answer into the
	// provider's *APIError, parsing info.Body for the provider's fields.
	// info.Body is already redacted, but a credential written with JSON
	// escapes ("a\/b", "\u0061") only shows once decoded: NewError passes
	// every decoded text it keeps through redact. The core redacts the
	// shared Code and Message itself. nil returns info itself.
	NewError func(info ErrorInfo, redact func(string) string) error
	// RetryHint may supply a wait hint for a retryable answer when it carries
	// no Retry-After header (Close's RateLimit header, a body field).
	RetryHint func(h http.Header, body []byte) (time.Duration, bool)
	// WaitHint, when set, replaces the core's own reading of the server's
	// wait hint (Retry-After-Ms, Retry-After, then RetryHint on 429 and 503)
	// for every non-2xx answer: for providers whose documented order puts
	// their own headers before Retry-After (Close). now is the client's clock,
	// for Retry-After HTTP dates; RetryAfterHeader reads the standard headers.
	WaitHint func(status int, h http.Header, body []byte, now time.Time) (time.Duration, bool)
	// Secrets are credential values to redact from error bodies and messages.
	Secrets []string
}

// Client is the shared transport. It is safe for concurrent use.
type Client struct {
	cfg       Config
	base      *url.URL
	hc        *http.Client
	retry     RetryPolicy
	log       *slog.Logger
	limiter   *rate.Limiter
	userAgent string
	readAhead int
	maxBody   int64
	now       func() time.Time
	rand      func(n int64) int64
}

// New validates cfg and builds a Client.
func New(cfg Config) (*Client, error) {
	raw, err := cfg.Settings.baseURL()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Provider, err)
	}
	if raw == "" {
		raw = cfg.DefaultBaseURL
	}
	base, err := ParseBaseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Provider, err)
	}
	c := &Client{
		cfg:       cfg,
		base:      base,
		retry:     cfg.Settings.Retry.withDefaults(),
		log:       cfg.Settings.Logger,
		readAhead: cfg.Settings.ReadAhead,
		maxBody:   cfg.Settings.MaxBodyBytes,
		now:       cfg.Settings.Clock,
		rand:      cfg.Settings.Jitter,
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.rand == nil {
		c.rand = rand.Int64N
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodyBytes
	}
	if c.log == nil {
		c.log = slog.New(discardHandler{})
	}
	c.userAgent = cfg.Settings.FullUserAgent()
	if cfg.Settings.RatePerSec > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(cfg.Settings.RatePerSec), cfg.Settings.RateBurst)
	}
	c.hc = c.buildHTTPClient(cfg.Settings.HTTPClient)
	if c.cfg.Auth == nil && c.cfg.NewAuth != nil {
		a, err := c.cfg.NewAuth(c.hc, c.RedactString)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cfg.Provider, err)
		}
		c.cfg.Auth = a
	}
	if cs, ok := c.cfg.Auth.(ClockSetter); ok && cfg.Settings.Clock != nil {
		cs.SetClock(c.now)
	}
	return c, nil
}

// buildHTTPClient copies the user's client (never mutating it) and adds the
// rate limiter and the same-host redirect rule.
func (c *Client) buildHTTPClient(user *http.Client) *http.Client {
	var hc http.Client
	if user != nil {
		hc = *user
	} else {
		hc = http.Client{Transport: defaultTransport}
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = &sdkTransport{base: base, client: c}
	userCheck := hc.CheckRedirect
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		first := via[0].URL
		if !sameHost(first, req.URL) {
			// The Location may carry a credential in its path: redact it,
			// and cap it like any server text.
			return fmt.Errorf("%w: %s", ErrCrossHostRedirect, c.RedactString(OneLine(SanitizeURL(req.URL), maxURLText)))
		}
		if first.Scheme == "https" && req.URL.Scheme != "https" {
			return fmt.Errorf("%w: redirect from https to %s", ErrCrossHostRedirect, req.URL.Scheme)
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		return nil
	}
	return &hc
}

// defaultTransport is shared by clients built without WithHTTPClient so that
// connections are pooled across them.
var defaultTransport = func() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	return t
}()

func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Hostname(), b.Hostname()) && a.Port() == b.Port()
}

// sdkTransport waits on the client-side rate limit before every attempt. It
// deliberately has no CloseIdleConnections method, so retryablehttp's habit of
// closing idle connections after a failure does not empty the user's pool.
type sdkTransport struct {
	base   http.RoundTripper
	client *Client
}

func (t *sdkTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.client.waitRate(req.Context(), req); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	return t.base.RoundTrip(req)
}

func (c *Client) waitRate(ctx context.Context, req *http.Request) error {
	if c.limiter == nil {
		return nil
	}
	now := c.now()
	r := c.limiter.ReserveN(now, 1)
	if !r.OK() {
		return errors.New("rate limiter cannot grant a request")
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && now.Add(d).After(dl) {
		// Same rule as server-requested waits: do not sleep into a
		// deadline that will cut the request off anyway.
		r.CancelAt(now)
		return &rateWaitError{wait: d}
	}
	c.log.LogAttrs(ctx, slog.LevelInfo, "activity-go: rate limit wait",
		slog.String("provider", c.cfg.Provider), slog.String("method", req.Method),
		slog.String("url", SanitizeURL(req.URL)), slog.String("reason", "client-side rate limit"),
		slog.Duration("wait", d))
	c.emit(ctx, Event{Kind: EventWait, Method: req.Method, URL: SanitizeURL(req.URL), Reason: "client-side rate limit", Wait: d})
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		r.CancelAt(c.now())
		return ctx.Err()
	}
}

// rateWaitError is returned when the client-side rate limit would make a
// request wait past its context's deadline. It matches
// context.DeadlineExceeded and is never retried.
type rateWaitError struct{ wait time.Duration }

func (e *rateWaitError) Error() string {
	return fmt.Sprintf("rate limit wait of %s would pass the context deadline", e.wait.Round(time.Millisecond))
}

func (e *rateWaitError) Is(target error) bool { return target == context.DeadlineExceeded }

// Provider returns the provider name.
func (c *Client) Provider() string { return c.cfg.Provider }

// BaseURL returns a copy of the base URL.
func (c *Client) BaseURL() *url.URL { u := *c.base; return &u }

// HTTPClient returns the client's HTTP client (rate limit and redirect rules
// applied), for token exchanges.
func (c *Client) HTTPClient() *http.Client { return c.hc }

// ReadAhead returns the default read-ahead depth for pagers.
func (c *Client) ReadAhead() int { return c.readAhead }

// Logger returns the client's logger (never nil).
func (c *Client) Logger() *slog.Logger { return c.log }

// ResolveLink turns a next-page link into a URL: an absolute URL must be on
// the base URL's host (scheme, host and port), a path starting with "/" is
// resolved against the base URL's origin. Anything else is not a link and
// returns nil, nil: the caller treats it as an opaque token.
func (c *Client) ResolveLink(link string) (*url.URL, error) {
	link = strings.TrimSpace(link)
	switch {
	case strings.HasPrefix(link, "//"):
		u, err := url.Parse(c.base.Scheme + ":" + link)
		if err != nil {
			return nil, fmt.Errorf("%s: next-page link does not parse: %w", c.cfg.Provider, err)
		}
		return c.checkLinkHost(u)
	case strings.HasPrefix(link, "/"):
		u, err := url.Parse(link)
		if err != nil {
			return nil, fmt.Errorf("%s: next-page link does not parse: %w", c.cfg.Provider, err)
		}
		abs := c.BaseURL()
		abs.Path, abs.RawPath = u.Path, u.RawPath
		abs.RawQuery = escapeQueryBytes(u.RawQuery)
		return abs, nil
	}
	lower := strings.ToLower(link)
	if !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "http://") {
		return nil, nil
	}
	u, err := url.Parse(link)
	if err != nil {
		return nil, fmt.Errorf("%s: next-page link does not parse: %w", c.cfg.Provider, err)
	}
	return c.checkLinkHost(u)
}

func (c *Client) checkLinkHost(u *url.URL) (*url.URL, error) {
	// A server behind a TLS-terminating proxy (Django REST Framework, say)
	// writes its own links as http://. The same host on the default ports is
	// upgraded to https, never the other way round.
	if strings.EqualFold(u.Scheme, "http") && c.base.Scheme == "https" && u.Port() == "" && c.base.Port() == "" &&
		strings.EqualFold(u.Hostname(), c.base.Hostname()) {
		u.Scheme = "https"
	}
	if !sameHost(u, c.base) || !strings.EqualFold(u.Scheme, c.base.Scheme) || u.User != nil {
		return nil, fmt.Errorf("%s: %w (%s, base is %s); not followed", c.cfg.Provider, ErrForeignLink,
			SanitizeURL(&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}), c.base.Host)
	}
	u.Fragment = ""
	u.RawQuery = escapeQueryBytes(u.RawQuery)
	return u, nil
}

// escapeQueryBytes percent-encodes the bytes of a link's raw query that
// cannot appear in a request line (spaces, control characters, non-ASCII),
// which url.Parse keeps as sent; the request would otherwise be malformed.
func escapeQueryBytes(q string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c > ' ' && c < 0x7f {
			if b.Len() > 0 {
				b.WriteByte(c)
			}
			continue
		}
		if b.Len() == 0 {
			b.WriteString(q[:i])
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	if b.Len() == 0 {
		return q
	}
	return b.String()
}

// Request is one API call.
type Request struct {
	Method string
	// Path is the escaped path below the base URL, built with Path().
	Path string
	// URL, when set, is requested instead of base+Path (a resolved next link).
	URL *url.URL
	// Query is added to the URL (merged with any query URL already has).
	Query url.Values
	// Header holds extra headers for this call.
	Header http.Header
	// JSON is marshalled as the request body when non-nil.
	JSON any
	// Form is sent as an application/x-www-form-urlencoded body when non-nil.
	Form url.Values
	// Retryable marks a non-GET request as safe to repeat. GET and HEAD are
	// always safe.
	Retryable bool
	// Stream leaves a 2xx body unread: the caller gets Response.Stream and
	// must close it. A streamed body is not held to the body cap: the caller
	// reads it at its own pace.
	Stream bool
	// ExpectJSON says a 2xx answer other than 204 must carry one complete
	// JSON value: an empty body, or one that ends in the middle of its value,
	// is a truncated answer (retried when the request is safe to repeat, else
	// a *RequestError wrapping ErrTruncated). DoJSON sets it when out is not
	// nil.
	ExpectJSON bool

	// decode, set by DoJSON, decodes the body during the retry decision so
	// that a truncated body costs no extra pass.
	decode func([]byte) error
}

// method is r.Method, GET when empty.
func (r *Request) method() string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

func (r *Request) idempotent() bool {
	m := r.method()
	return r.Retryable || m == http.MethodGet || m == http.MethodHead
}

// Response is a successful (2xx) answer.
type Response struct {
	StatusCode int
	Header     http.Header
	// Body is the whole body (nil for a streamed request), at most the
	// client's body cap. It is valid until Release is called.
	Body []byte
	// Stream is the open body of a streamed request.
	Stream io.ReadCloser
	// Attempts is the number of attempts it took.
	Attempts int

	buf *bytes.Buffer
}

// Release returns the body buffer to the pool. Body must not be used after.
func (r *Response) Release() {
	if r != nil && r.buf != nil {
		putBuffer(r.buf)
		r.buf, r.Body = nil, nil
	}
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { b := bufPool.Get().(*bytes.Buffer); b.Reset(); return b }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 16<<20 { // do not keep huge buffers alive
		return
	}
	bufPool.Put(b)
}

// URL builds the absolute URL of r.
func (c *Client) URL(r *Request) (*url.URL, error) {
	var u *url.URL
	if r.URL != nil {
		cp := *r.URL
		u = &cp
		if !sameHost(u, c.base) || !strings.EqualFold(u.Scheme, c.base.Scheme) {
			return nil, fmt.Errorf("%s: %w", c.cfg.Provider, ErrForeignLink)
		}
	} else {
		u = c.BaseURL()
		if r.Path != "" && !strings.HasPrefix(r.Path, "/") {
			return nil, fmt.Errorf("%s: internal: path %q must start with /", c.cfg.Provider, r.Path)
		}
		rawPath := u.EscapedPath() + r.Path
		p, err := url.PathUnescape(rawPath)
		if err != nil {
			return nil, fmt.Errorf("%s: bad path: %w", c.cfg.Provider, err)
		}
		u.Path, u.RawPath = p, rawPath
	}
	if len(r.Query) > 0 {
		q := EncodeQuery(r.Query)
		if u.RawQuery != "" {
			u.RawQuery += "&" + q
		} else {
			u.RawQuery = q
		}
	}
	return u, nil
}

// DoJSON performs r and decodes a 2xx JSON body into out (when out is not
// nil). With out set, a JSON value is due: an empty or cut-short body is a
// truncated answer (see Request.ExpectJSON), and a 204 leaves out untouched.
// A body that does not decode is a *RequestError.
func (c *Client) DoJSON(ctx context.Context, r *Request, out any) (*Response, error) {
	if out != nil {
		cp := *r
		cp.ExpectJSON = true
		cp.decode = func(b []byte) error { return decodeBody(b, out) }
		r = &cp
	}
	resp, err := c.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	resp.Release()
	return resp, nil
}

// DecodeError is the *RequestError for a 2xx answer to r whose body the
// provider could not decode: its URL is sanitized and redacted.
func (c *Client) DecodeError(r *Request, attempts int, err error) *RequestError {
	return c.newRequestError(r.method(), c.displayURL(r), attempts, err)
}

// newRequestError builds a *RequestError with credentials redacted from the
// URL and from the cause's text.
func (c *Client) newRequestError(method, u string, attempts int, err error) *RequestError {
	if err != nil {
		if msg := err.Error(); c.RedactString(msg) != msg {
			err = &redactedError{msg: c.RedactString(msg), err: err}
		}
	}
	return &RequestError{Provider: c.cfg.Provider, Method: method, URL: c.RedactString(u), Attempts: attempts, Err: err}
}

// BodyDecoder is implemented by an answer type that decodes a whole JSON body
// itself (a reflection-free fast path that falls back to encoding/json):
// DoJSON calls DecodeBody instead of json.Unmarshal.
type BodyDecoder interface {
	DecodeBody(body []byte) error
}

func decodeBody(b []byte, out any) error {
	if d, ok := out.(BodyDecoder); ok {
		return d.DecodeBody(b)
	}
	return json.Unmarshal(b, out)
}

func (c *Client) displayURL(r *Request) string {
	u, err := c.URL(r)
	if err != nil {
		return r.Path
	}
	return SanitizeURL(u)
}

type discardHandler struct{}

func (discardHandler) Enabled(context.Context, slog.Level) bool  { return false }
func (discardHandler) Handle(context.Context, slog.Record) error { return nil }
func (d discardHandler) WithAttrs([]slog.Attr) slog.Handler      { return d }
func (d discardHandler) WithGroup(string) slog.Handler           { return d }
