package core

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
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
// answer becomes a *RequestError. Validation of r's parameters is the
// caller's job and happens before Do.
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	u, err := c.URL(r)
	if err != nil {
		return nil, err
	}
	var body []byte
	switch {
	case r.JSON != nil:
		if body, err = json.Marshal(r.JSON); err != nil {
			return nil, fmt.Errorf("%s: encoding request body: %w", c.cfg.Provider, err)
		}
	case r.Form != nil:
		body = []byte(r.Form.Encode())
	}
	refreshed, prior := false, 0
	for {
		resp, res, err := c.do(ctx, r, u, body, prior)
		if err == nil {
			return resp, nil
		}
		// The status is read from the attempt itself, not from the error,
		// whose type is the provider's.
		if !refreshed && res.status == http.StatusUnauthorized {
			if rf, ok := c.cfg.Auth.(Refresher); ok && res.authValue != "" && rf.Invalidate(res.authValue) {
				refreshed, prior = true, res.attempts
				c.log.LogAttrs(ctx, slog.LevelInfo, "activity-go: retry",
					slog.String("provider", c.cfg.Provider), slog.String("method", r.method()),
					slog.String("url", SanitizeURL(u)), slog.String("reason", "401: credential refreshed"),
					slog.Int("attempt", res.attempts+1), slog.Duration("wait", 0))
				continue
			}
		}
		return nil, err
	}
}

// outcome is what Do needs to know about a failed call beyond its error.
type outcome struct {
	status    int    // HTTP status of the last answer, 0 when none
	attempts  int    // attempts made, those before a 401 refresh included
	authValue string // the Authorization value sent last
}

// call is the state of one Do across its attempts.
type call struct {
	c          *Client
	r          *Request
	u          *url.URL
	idempotent bool
	attempts   int // attempts of this retry loop
	prior      int // attempts before it (see do)
	started    time.Time

	// of the last answer
	buf        *bytes.Buffer // 2xx body
	errBody    []byte        // non-2xx body
	bodyErr    error         // reading the 2xx body failed
	decodeErr  error         // r.decode failed on a complete 2xx body
	retryAfter time.Duration // server hint on the last answer
	nextWait   time.Duration
	reason     string
	authValue  string
}

// do runs one retry loop; prior counts the attempts Do made before it (a
// request rejected with a 401 before its credential was refreshed), so that
// Attempts in answers and errors counts every request sent.
func (c *Client) do(ctx context.Context, r *Request, u *url.URL, body []byte, prior int) (*Response, outcome, error) {
	var rawBody any
	if body != nil {
		rawBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.method(), u.String(), rawBody)
	if err != nil {
		return nil, outcome{}, fmt.Errorf("%s: building request: %w", c.cfg.Provider, err)
	}
	// Keep the escaped path exactly as built (url.Parse of u.String() keeps
	// RawPath, but be explicit).
	req.URL = u
	req.Host = ""
	cl := &call{c: c, r: r, u: u, idempotent: r.idempotent(), started: c.now(), prior: prior}
	c.setHeaders(req.Request.Header, r, body)
	if err := cl.firstAuthorize(ctx, req.Request); err != nil {
		return nil, outcome{}, cl.requestError(err)
	}

	rc := &retryablehttp.Client{
		HTTPClient:   c.hc,
		RetryMax:     c.retry.MaxRetries,
		RetryWaitMin: c.retry.MinBackoff,
		RetryWaitMax: c.retry.MaxBackoff,
		CheckRetry:   cl.checkRetry,
		Backoff:      cl.backoff,
		ErrorHandler: cl.errorHandler,
		RequestLogHook: func(_ retryablehttp.Logger, _ *http.Request, _ int) {
			cl.attempts++
			cl.started = c.now()
		},
		PrepareRetry: cl.authorize,
	}
	resp, err := rc.Do(req)
	if err != nil {
		if cl.buf != nil {
			putBuffer(cl.buf)
		}
		return nil, cl.outcome(0), cl.finalError(ctx, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if cl.buf != nil {
			putBuffer(cl.buf)
		}
		return nil, cl.outcome(resp.StatusCode), cl.apiError(resp)
	}
	if cl.decodeErr != nil {
		if cl.buf != nil {
			putBuffer(cl.buf)
		}
		return nil, cl.outcome(resp.StatusCode), c.newRequestError(r.method(), SanitizeURL(u), cl.total(),
			fmt.Errorf("decoding response: %w", cl.decodeErr))
	}
	out := &Response{StatusCode: resp.StatusCode, Header: resp.Header, Attempts: cl.total()}
	if r.Stream {
		out.Stream = resp.Body
	} else {
		out.buf = cl.buf
		if cl.buf != nil {
			out.Body = cl.buf.Bytes()
		}
	}
	return out, cl.outcome(resp.StatusCode), nil
}

func (cl *call) outcome(status int) outcome {
	return outcome{status: status, attempts: cl.total(), authValue: cl.authValue}
}

// total is the number of requests sent for this Do so far.
func (cl *call) total() int { return cl.prior + cl.attempts }

func (c *Client) setHeaders(h http.Header, r *Request, body []byte) {
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
	if body != nil && h.Get("Content-Type") == "" {
		if r.Form != nil {
			h.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			h.Set("Content-Type", "application/json")
		}
	}
}

// authorize sets the Authorization header for this attempt, on this
// request's context, and only for the base URL's host.
func (cl *call) authorize(req *http.Request) error {
	req.Header = req.Header.Clone()
	name := "Authorization"
	if n, ok := cl.c.cfg.Auth.(HeaderNamer); ok {
		name = n.HeaderName()
	}
	req.Header.Del(name)
	delete(req.Header, name)
	if cl.c.cfg.Auth == nil || !sameHost(req.URL, cl.c.base) {
		return nil
	}
	v, err := cl.c.cfg.Auth.Authorization(req.Context())
	if err != nil {
		return err
	}
	cl.authValue = v
	req.Header[name] = []string{v}
	return nil
}

// firstAuthorize obtains the credential for the first attempt, retrying a
// transient token-endpoint failure under the same policy as requests.
func (cl *call) firstAuthorize(ctx context.Context, req *http.Request) error {
	p := cl.c.retry
	for retry := 0; ; retry++ {
		err := cl.authorize(req)
		var ae *AuthError
		if err == nil || !errors.As(err, &ae) || !ae.Retryable || retry >= p.MaxRetries {
			return err
		}
		wait := Backoff(p.MinBackoff, p.MaxBackoff, retry)
		if dl, ok := ctx.Deadline(); ok && cl.c.now().Add(wait).After(dl) {
			return err
		}
		cl.c.log.LogAttrs(ctx, slog.LevelInfo, "activity-go: retry",
			slog.String("provider", cl.c.cfg.Provider), slog.String("method", cl.r.method()),
			slog.String("url", SanitizeURL(cl.u)), slog.String("reason", "token endpoint: "+oneLine(err.Error())),
			slog.Int("attempt", retry+2), slog.Duration("wait", wait))
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// checkRetry decides, after each attempt, whether to try again, and computes
// the wait. It reads the body of the answer so that a truncated body is a
// retryable failure and the error body is available for hints.
func (cl *call) checkRetry(ctx context.Context, resp *http.Response, doErr error) (bool, error) {
	cl.retryAfter, cl.nextWait, cl.reason = 0, 0, ""
	cl.errBody, cl.bodyErr, cl.decodeErr = nil, nil, nil
	if err := ctx.Err(); err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return false, err
	}
	c := cl.c
	if doErr != nil {
		if !cl.idempotent || !retryableError(doErr) {
			return false, nil
		}
		cl.reason = "connection error: " + oneLine(unwrapURLError(doErr).Error())
		return cl.scheduleBackoff(ctx, 0, false)
	}
	status := resp.StatusCode
	c.log.LogAttrs(ctx, slog.LevelDebug, "activity-go: request",
		slog.String("provider", c.cfg.Provider), slog.String("method", cl.r.method()),
		slog.String("url", SanitizeURL(cl.u)), slog.Int("status", status),
		slog.Int("attempt", cl.attempts), slog.Duration("duration", c.now().Sub(cl.started)))
	if status >= 200 && status <= 299 {
		if cl.r.Stream {
			return false, nil
		}
		if cl.buf != nil {
			putBuffer(cl.buf)
		}
		cl.buf = getBuffer()
		err := cl.readBody(resp)
		resp.Body.Close()
		resp.Body = http.NoBody
		if err == nil {
			err = cl.checkBody(status)
		}
		if err == nil {
			return false, nil
		}
		putBuffer(cl.buf)
		cl.buf = nil
		if errors.Is(err, ErrBodyTooLarge) {
			// The same request would get the same answer: not retried.
			cl.bodyErr = err
			return false, err
		}
		cl.bodyErr = err
		if cl.idempotent {
			cl.reason = "truncated body: " + oneLine(err.Error())
			if retry, _ := cl.scheduleBackoff(ctx, 0, false); retry {
				return true, nil
			}
		}
		// Not retried: report the read failure, not the 2xx status.
		return false, cl.bodyErr
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	resp.Body.Close()
	cl.errBody = b
	resp.Body = io.NopCloser(bytes.NewReader(b))

	var hint time.Duration
	var hasHint bool
	if c.cfg.WaitHint != nil {
		hint, hasHint = c.cfg.WaitHint(status, resp.Header, b, c.now())
	} else {
		hint, hasHint = retryAfterHeader(resp.Header, c.now())
		if !hasHint && c.cfg.RetryHint != nil && (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) {
			hint, hasHint = c.cfg.RetryHint(resp.Header, b)
		}
	}
	if hasHint {
		cl.retryAfter = hint
	}
	if !retryableStatus(status, cl.idempotent) {
		return false, nil
	}
	cl.reason = fmt.Sprintf("status %d", status)
	return cl.scheduleBackoff(ctx, hint, hasHint)
}

// readBody reads a 2xx body into cl.buf, at most the client's body cap
// (counted as read, that is after the transport's gzip decompression). A read
// that fails (the connection dropped before the announced length) is a
// truncated answer; a body past the cap is ErrBodyTooLarge, and no more of it
// is read.
func (cl *call) readBody(resp *http.Response) error {
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
// ends early is a truncated answer. Any other decoding failure of DoJSON's
// decode is kept in cl.decodeErr and is not retried.
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
		cl.decodeErr = err
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

// scheduleBackoff computes the next wait and applies the cap and deadline
// rule: a server wait beyond MaxRetryAfter, or any wait that would end past
// the context's deadline, stops retrying at once.
func (cl *call) scheduleBackoff(ctx context.Context, hint time.Duration, hasHint bool) (bool, error) {
	c := cl.c
	if cl.attempts > c.retry.MaxRetries {
		return false, nil
	}
	var wait time.Duration
	if hasHint {
		if hint > c.retry.MaxRetryAfter {
			cl.reason += fmt.Sprintf(" (server asked to wait %s, more than MaxRetryAfter %s)", hint, c.retry.MaxRetryAfter)
			c.logGiveUp(ctx, cl, hint)
			return false, nil
		}
		wait = hint
	} else {
		wait = Backoff(c.retry.MinBackoff, c.retry.MaxBackoff, cl.attempts-1)
	}
	if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
		cl.reason += fmt.Sprintf(" (wait %s would pass the context deadline)", wait)
		if cl.retryAfter == 0 && hasHint {
			cl.retryAfter = hint
		}
		c.logGiveUp(ctx, cl, wait)
		return false, nil
	}
	cl.nextWait = wait
	c.log.LogAttrs(ctx, slog.LevelInfo, "activity-go: retry",
		slog.String("provider", c.cfg.Provider), slog.String("method", cl.r.method()),
		slog.String("url", SanitizeURL(cl.u)), slog.String("reason", cl.reason),
		slog.Int("attempt", cl.attempts+1), slog.Duration("wait", wait))
	return true, nil
}

func (c *Client) logGiveUp(ctx context.Context, cl *call, wait time.Duration) {
	c.log.LogAttrs(ctx, slog.LevelWarn, "activity-go: not retrying",
		slog.String("provider", c.cfg.Provider), slog.String("method", cl.r.method()),
		slog.String("url", SanitizeURL(cl.u)), slog.String("reason", cl.reason),
		slog.Int("attempt", cl.attempts), slog.Duration("wait", wait))
}

func (cl *call) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return cl.nextWait
}

// errorHandler runs when retryablehttp stops with a failure; it hands the
// last answer back so that Do can build the typed error.
func (cl *call) errorHandler(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil && err == nil && cl.bodyErr == nil {
		return resp, nil
	}
	if resp != nil {
		resp.Body.Close()
	}
	if err == nil {
		err = cl.bodyErr
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
	return cl.c.newRequestError(cl.r.method(), SanitizeURL(cl.u), cl.total(), err)
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
	body := cl.errBody
	if body == nil && resp.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
		resp.Body.Close()
	}
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
		RetryAfter: cl.retryAfter,
		Attempts:   cl.total(),
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
// connection resets, refused or dropped connections, timeouts and truncated
// bodies yes; cancelled contexts, bad certificates, refused redirects and
// malformed requests no.
func retryableError(err error) bool {
	if err == nil {
		return false
	}
	var ae *AuthError
	if errors.As(err, &ae) {
		return ae.Retryable
	}
	// Context errors reach here only while the caller's context is alive
	// (checkRetry looks at it first): they are http.Client.Timeout expiries,
	// worth another attempt.
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
