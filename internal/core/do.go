package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// Do performs r with authentication, the rate limit and the retry policy. A
// 2xx answer is returned with its body read in full (or open, for Stream); any
// other answer becomes the provider's typed error; a request that got no
// answer becomes a *RequestError, a context that ended before the call
// included. Validation of r's parameters is the caller's job and happens
// before Do.
//
// go-retryablehttp runs the attempts; after each one decideRetry (retry.go)
// says whether and how long to wait, a 401 refresh included.
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		// Nothing is sent; reported like a context that ends during a call.
		return nil, c.newRequestError(r.method(), c.displayURL(r), 0, err)
	}
	u, err := c.URL(r)
	if err != nil {
		return nil, err
	}
	var body any
	switch {
	case r.JSON != nil:
		b, err := json.Marshal(r.JSON)
		if err != nil {
			return nil, fmt.Errorf("%s: encoding request body: %w", c.cfg.Provider, err)
		}
		body = b
	case r.Form != nil:
		body = []byte(r.Form.Encode())
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.method(), u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s: building request: %w", c.cfg.Provider, err)
	}
	// Keep the escaped path exactly as built (url.Parse of u.String() keeps
	// RawPath, but be explicit).
	req.URL = u
	req.Host = ""
	c.setHeaders(req.Request.Header, r, body != nil)
	cl := &call{c: c, r: r, u: u}
	if err := cl.authorize(req.Request); err != nil {
		return nil, cl.requestError(err)
	}
	rc := &retryablehttp.Client{
		HTTPClient: c.hc,
		// decideRetry keeps the budget; a 401 refresh starts a new round.
		RetryMax:     2*c.retry.MaxRetries + 1,
		CheckRetry:   cl.checkRetry,
		Backoff:      func(time.Duration, time.Duration, int, *http.Response) time.Duration { return cl.last.wait },
		ErrorHandler: cl.errorHandler,
		RequestLogHook: func(retryablehttp.Logger, *http.Request, int) {
			cl.attempts++
			cl.started = c.now()
		},
		PrepareRetry: cl.authorize,
	}
	resp, err := rc.Do(req)
	if err != nil {
		return nil, cl.finalError(ctx, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, cl.apiError(resp)
	}
	out := &Response{StatusCode: resp.StatusCode, Header: resp.Header, Attempts: cl.attempts}
	if r.Stream {
		out.Stream = resp.Body
	} else if cl.buf != nil {
		out.buf, out.Body = cl.buf, cl.buf.Bytes()
	}
	return out, nil
}

// call is the state of one Do across its attempts.
type call struct {
	c *Client
	r *Request
	u *url.URL

	attempts   int // requests sent
	roundStart int // attempts before the 401 refresh; 0 until one
	started    time.Time
	authValue  string        // the Authorization value sent last
	last       retryDecision // on the last attempt
	buf        *bytes.Buffer // the 2xx body, once read whole
}

func (c *Client) setHeaders(h http.Header, r *Request, hasBody bool) {
	for k, vs := range c.cfg.Header {
		h[k] = append([]string(nil), vs...)
	}
	for k, vs := range r.Header {
		h[k] = append([]string(nil), vs...)
	}
	h.Set("User-Agent", c.userAgent)
	if h.Get("Accept") == "" {
		h.Set("Accept", "application/json")
	}
	if hasBody && h.Get("Content-Type") == "" {
		if r.Form != nil {
			h.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			h.Set("Content-Type", "application/json")
		}
	}
}

// input starts the retry decision's input for the try just made.
func (cl *call) input(ctx context.Context, try int) retryInput {
	in := retryInput{try: try, idempotent: cl.r.idempotent(), ctxErr: ctx.Err(), now: cl.c.now()}
	if dl, ok := ctx.Deadline(); ok {
		in.deadline = dl
	}
	return in
}

// authorize sets the credential header (Authorization, or the Auth's
// HeaderName) for the attempt about to be made, on this request's context,
// and only for the base URL's host. For the first
// attempt of a round (the call's first, or the first after a 401 refresh) a
// transient token-endpoint failure is retried under the policy.
func (cl *call) authorize(req *http.Request) error {
	req.Header = req.Header.Clone()
	a := cl.c.cfg.Auth
	name := "Authorization"
	if n, ok := a.(HeaderNamer); ok {
		name = n.HeaderName()
	}
	req.Header.Del(name)
	delete(req.Header, name)
	if a == nil || !sameHost(req.URL, cl.c.base) {
		return nil
	}
	ctx := req.Context()
	for try := 1; ; try++ {
		v, err := a.Authorization(ctx)
		if err == nil {
			cl.authValue = v
			req.Header[name] = []string{v}
			return nil
		}
		if cl.attempts != cl.roundStart {
			return err
		}
		in := cl.input(ctx, try)
		in.auth, in.err = true, err
		d := decideRetry(in, cl.c.retry, cl.c.rand)
		if !d.retry {
			return err
		}
		cl.logRetry(ctx, d, try+1, 0)
		t := time.NewTimer(d.wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// checkRetry runs after each attempt: it reads the answer's body (so that a
// truncated one is a failure like a dropped connection, and the error body
// is at hand for hints and the typed error), then asks decideRetry.
func (cl *call) checkRetry(ctx context.Context, resp *http.Response, doErr error) (bool, error) {
	c := cl.c
	in := cl.input(ctx, cl.attempts-cl.roundStart)
	in.err = doErr
	if doErr != nil {
		c.emit(ctx, Event{Kind: EventRequest, Method: cl.r.method(), URL: SanitizeURL(cl.u),
			Attempt: cl.attempts, Duration: c.now().Sub(cl.started), Err: unwrapURLError(doErr)})
	}
	if resp != nil && in.ctxErr != nil {
		resp.Body.Close()
	} else if resp != nil {
		in.status, in.header = resp.StatusCode, resp.Header
		took := c.now().Sub(cl.started)
		c.log.LogAttrs(ctx, slog.LevelDebug, "activity-go: request",
			slog.String("provider", c.cfg.Provider), slog.String("method", cl.r.method()),
			slog.String("url", SanitizeURL(cl.u)), slog.Int("status", in.status),
			slog.Int("attempt", cl.attempts), slog.Duration("duration", took))
		c.emit(ctx, Event{Kind: EventRequest, Method: cl.r.method(), URL: SanitizeURL(cl.u),
			StatusCode: in.status, Attempt: cl.attempts, Duration: took})
		if in.status < 200 || in.status > 299 {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
			resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(b)) // for apiError
			switch status, now := in.status, in.now; {
			case c.cfg.WaitHint != nil:
				in.waitHint = func() (time.Duration, bool) { return c.cfg.WaitHint(status, resp.Header, b, now) }
			case c.cfg.RetryHint != nil:
				in.hint = func() (time.Duration, bool) { return c.cfg.RetryHint(resp.Header, b) }
			}
			_, refresher := c.cfg.Auth.(Refresher)
			in.refreshable = refresher && cl.roundStart == 0 && cl.authValue != ""
		} else if !cl.r.Stream {
			in.err = cl.readBody(resp)
		}
	}
	d := decideRetry(in, c.retry, c.rand)
	if d.refresh && !c.cfg.Auth.(Refresher).Invalidate(cl.authValue) {
		d = retryDecision{retryAfter: d.retryAfter}
	}
	cl.last = d
	switch {
	case d.retry:
		if d.refresh {
			cl.roundStart = cl.attempts
		}
		cl.logRetry(ctx, d, cl.attempts+1, in.status)
		return true, nil
	case d.giveUp:
		c.log.LogAttrs(ctx, slog.LevelWarn, "activity-go: not retrying",
			slog.String("provider", c.cfg.Provider), slog.String("method", cl.r.method()),
			slog.String("url", SanitizeURL(cl.u)), slog.String("reason", d.reason),
			slog.Int("attempt", cl.attempts), slog.Duration("wait", d.wait))
		c.emit(ctx, Event{Kind: EventGiveUp, Method: cl.r.method(), URL: SanitizeURL(cl.u), Reason: d.reason,
			Attempt: cl.attempts, Wait: d.wait, StatusCode: in.status})
	}
	if in.ctxErr != nil {
		return false, in.ctxErr
	}
	if in.status != 0 && in.err != nil {
		// Report the body's failure, not the 2xx status.
		return false, in.err
	}
	return false, nil
}

// logRetry logs and emits a retry; status is the answer's, 0 when none.
func (cl *call) logRetry(ctx context.Context, d retryDecision, attempt, status int) {
	c := cl.c
	c.log.LogAttrs(ctx, slog.LevelInfo, "activity-go: retry",
		slog.String("provider", c.cfg.Provider), slog.String("method", cl.r.method()),
		slog.String("url", SanitizeURL(cl.u)), slog.String("reason", d.reason),
		slog.Int("attempt", attempt), slog.Duration("wait", d.wait))
	c.emit(ctx, Event{Kind: EventRetry, Method: cl.r.method(), URL: SanitizeURL(cl.u), Reason: d.reason,
		Attempt: attempt, Wait: d.wait, StatusCode: status})
}

// readBody reads a 2xx body into cl.buf and checks it (Request.ExpectJSON,
// DoJSON's decode). On failure cl.buf is released and the error says why:
// ErrTruncated, ErrBodyTooLarge, or a decoding error.
func (cl *call) readBody(resp *http.Response) error {
	cl.buf = getBuffer()
	err := cl.readInto(resp)
	resp.Body.Close()
	resp.Body = http.NoBody
	if err == nil {
		err = cl.checkBody(resp.StatusCode)
	}
	if err != nil {
		putBuffer(cl.buf)
		cl.buf = nil
	}
	return err
}

// readInto reads a 2xx body into cl.buf, at most the client's body cap
// (counted as read, that is after the transport's gzip decompression). A read
// that fails (the connection dropped before the announced length) is a
// truncated answer; a body past the cap is ErrBodyTooLarge, and no more of it
// is read.
func (cl *call) readInto(resp *http.Response) error {
	limit := cl.c.maxBody
	if resp.ContentLength > limit {
		return fmt.Errorf("%w: the body (Content-Length %d) passes the limit of %d bytes (raise it with WithMaxBodyBytes)", ErrBodyTooLarge, resp.ContentLength, limit)
	}
	b := cl.buf.AvailableBuffer() // the pooled buffer's room, empty
	if n := resp.ContentLength; n > int64(cap(b)) && n <= limit {
		b = make([]byte, 0, n+1) // +1: room to see the EOF without growing
	}
	for {
		// Never read past limit+1 bytes, whatever room a pooled buffer has.
		room := int(min(int64(cap(b)), limit+1))
		if len(b) >= room {
			if int64(len(b)) > limit {
				cl.buf = bytes.NewBuffer(b[:0])
				return fmt.Errorf("%w: the body passed the limit of %d bytes (raise it with WithMaxBodyBytes)", ErrBodyTooLarge, limit)
			}
			// Double, but never past limit+1: the last growth is not a
			// doubling of an almost-full buffer, so the peak stays near
			// twice the limit.
			grown := min(max(2*int64(cap(b)), 4096), limit+1)
			nb := make([]byte, len(b), grown)
			copy(nb, b)
			b = nb
			room = cap(b)
		}
		n, err := resp.Body.Read(b[len(b):room])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			cl.buf = bytes.NewBuffer(b[:0])
			return fmt.Errorf("reading response body: %w: %w", ErrTruncated, err)
		}
	}
	if int64(len(b)) > limit {
		cl.buf = bytes.NewBuffer(b[:0])
		return fmt.Errorf("%w: the body passed the limit of %d bytes (raise it with WithMaxBodyBytes)", ErrBodyTooLarge, limit)
	}
	cl.buf = bytes.NewBuffer(b)
	return nil
}

// checkBody applies Request.ExpectJSON to a complete 2xx body, and decodes
// it when DoJSON asked: an empty body (but for a 204) or a JSON value that
// ends early is a truncated answer; any other failure of DoJSON's decode is
// a decoding error.
func (cl *call) checkBody(status int) error {
	if !cl.r.ExpectJSON || status == http.StatusNoContent || cl.r.method() == http.MethodHead {
		return nil
	}
	b := cl.buf.Bytes()
	if len(bytes.TrimSpace(b)) == 0 {
		return fmt.Errorf("%w: empty body where JSON is due (status %d)", ErrTruncated, status)
	}
	var err error
	if cl.r.decode != nil {
		err = cl.r.decode(b)
	} else if !json.Valid(b) {
		var v struct{}
		err = json.Unmarshal(b, &v)
	}
	if err == nil {
		return nil
	}
	if jsonEndsEarly(err) {
		return fmt.Errorf("%w: JSON body ends after %d bytes, in the middle of its value", ErrTruncated, len(b))
	}
	if cl.r.decode != nil {
		return fmt.Errorf("decoding response: %w", err)
	}
	// Without decode the caller decodes, and reports, a malformed body.
	return nil
}

// jsonEndsEarly reports whether err is encoding/json's complaint about input
// that stops inside a value.
func jsonEndsEarly(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se) && se.Error() == "unexpected end of JSON input"
}

// errorHandler runs when retryablehttp stops with a failure; it hands the
// last answer back so that Do can build the typed error.
func (cl *call) errorHandler(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil && err == nil {
		return resp, nil
	}
	if resp != nil {
		resp.Body.Close()
	}
	if err == nil {
		err = errors.New("request failed")
	}
	return nil, err
}

func (cl *call) finalError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		// The caller's context ended (during a wait or an attempt): report
		// that, wrapped, whatever the transport said about it.
		return cl.requestError(ctxErr)
	}
	return cl.requestError(err)
}

func (cl *call) requestError(err error) error {
	err = unwrapURLError(err)
	var ae *AuthError
	if errors.As(err, &ae) {
		err = ae
	}
	return cl.c.newRequestError(cl.r.method(), SanitizeURL(cl.u), cl.attempts, err)
}

// unwrapURLError drops net/http's *url.Error wrapper (which repeats the
// unsanitized URL) when it is the outermost error, keeping what it wraps.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// apiError builds the provider's typed error from a non-2xx answer.
func (cl *call) apiError(resp *http.Response) error {
	c := cl.c
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody)) // read by checkRetry
	resp.Body.Close()
	body = c.redact(body)
	// A credential the server wrote with JSON escapes ("a\/b", "\u0061")
	// survives the byte-wise pass: redact decoded string literals too.
	body = redactJSONStrings(body, c.RedactString)
	info := ErrorInfo{
		Provider:   c.cfg.Provider,
		Method:     cl.r.method(),
		URL:        c.RedactString(SanitizeURL(cl.u)),
		StatusCode: resp.StatusCode,
		RequestID:  c.RedactString(c.requestID(resp.Header)),
		RetryAfter: cl.last.retryAfter,
		Attempts:   cl.attempts,
		Body:       body,
		Header:     c.redactHeader(resp.Header),
	}
	if c.cfg.NewError == nil {
		return &info
	}
	err := c.cfg.NewError(info, c.RedactString)
	// The provider decoded its code and message from the body; a credential
	// written with JSON escapes ("a\/b") only shows up once decoded.
	var decoded *ErrorInfo
	if errors.As(err, &decoded) {
		decoded.Code = c.RedactString(decoded.Code)
		decoded.Message = c.RedactString(decoded.Message)
	}
	return err
}

// redactHeader returns a copy of h with credentials removed from its values.
func (c *Client) redactHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, vs := range out {
		for i, v := range vs {
			vs[i] = c.RedactString(v)
		}
	}
	return out
}

// RedactString removes known credentials from s.
func (c *Client) RedactString(s string) string {
	for _, sec := range c.secrets() {
		s = strings.ReplaceAll(s, sec, "REDACTED")
	}
	return s
}

func (c *Client) redact(b []byte) []byte {
	for _, sec := range c.secrets() {
		if bytes.Contains(b, []byte(sec)) {
			b = bytes.ReplaceAll(b, []byte(sec), []byte("REDACTED"))
		}
	}
	return b
}

func (c *Client) secrets() []string {
	out := c.cfg.Secrets
	if s, ok := c.cfg.Auth.(Secreter); ok {
		out = append(append([]string(nil), out...), s.Secrets()...)
	}
	return out
}

func (c *Client) requestID(h http.Header) string {
	for _, name := range c.cfg.RequestIDHeaders {
		if v := h.Get(name); v != "" {
			return v
		}
	}
	for _, name := range []string{"X-Request-Id", "X-Correlation-Id", "X-Amzn-Requestid", "Request-Id"} {
		if v := h.Get(name); v != "" {
			return v
		}
	}
	return ""
}
