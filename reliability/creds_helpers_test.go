package reliability_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// Shared helpers of credentials_test.go and badinput_test.go. Every name
// starts with "cred" so that it cannot clash with the other test files of
// this package.

// credFastRetry retries often and quickly: enough attempts for a run with
// faults to succeed, and no wait that slows the suite.
var credFastRetry = core.RetryPolicy{MaxRetries: 6, MinBackoff: time.Millisecond, MaxBackoff: 3 * time.Millisecond,
	MaxRetryAfter: 50 * time.Millisecond}

// credBasic is the base64 part of an HTTP Basic header: a secret too.
func credBasic(user, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
}

// credLog is a goroutine-safe sink for a debug-level slog logger.
type credLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *credLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *credLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// credLogger returns a logger that records everything from Debug up, with
// every attribute, and the buffer it writes to.
func credLogger() (*slog.Logger, *credLog) {
	sink := &credLog{}
	return slog.New(slog.NewJSONHandler(sink, &slog.HandlerOptions{Level: slog.LevelDebug})), sink
}

// credClean fails the test when s contains one of secrets. The message shows
// s with the secret masked and the secret's index, never the secret itself.
func credClean(t *testing.T, where, s string, secrets []string) {
	t.Helper()
	for i, sec := range secrets {
		if sec == "" || !strings.Contains(s, sec) {
			continue
		}
		// Show the text around the first occurrence, secrets masked.
		at := strings.Index(s, sec)
		from, to := max(0, at-600), min(len(s), at+len(sec)+300)
		masked := s[from:to]
		for _, other := range secrets {
			if other != "" {
				masked = strings.ReplaceAll(masked, other, "<SECRET>")
			}
		}
		t.Errorf("%s: contains secret #%d (%d chars) at byte %d: ...%s...", where, i, len(sec), at, masked)
	}
}

// credErrText is everything a user may print of err: its message, every
// message down its chain, and the raw body and fields of an API error.
func credErrText(err error) string {
	if err == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%v\n%+v\n%s\n", err, err, err.Error())
	var walk func(e error, depth int)
	walk = func(e error, depth int) {
		if e == nil || depth > 32 {
			return
		}
		b.WriteString(e.Error())
		b.WriteByte('\n')
		// Every field too, the provider-specific ones (Detail, FieldErrors,
		// Messages, Details...) included: %#v prints the fields rather than
		// calling Error().
		fmt.Fprintf(&b, "%#v\n", e)
		if p := reflect.ValueOf(e); p.Kind() == reflect.Pointer && !p.IsNil() {
			fmt.Fprintf(&b, "%#v\n", p.Elem().Interface())
		}
		switch x := e.(type) {
		case interface{ Unwrap() error }:
			walk(x.Unwrap(), depth+1)
		case interface{ Unwrap() []error }:
			for _, y := range x.Unwrap() {
				walk(y, depth+1)
			}
		}
	}
	walk(err, 0)
	var info *core.ErrorInfo
	if errors.As(err, &info) {
		fmt.Fprintf(&b, "code=%s message=%s request-id=%s url=%s body=%s\n",
			info.Code, info.Message, info.RequestID, info.URL, info.Body)
	}
	var re *core.RequestError
	if errors.As(err, &re) {
		fmt.Fprintf(&b, "url=%s\n", re.URL)
	}
	return b.String()
}

// credNoPanic runs fn and fails the test if it panics; the panic value is
// checked for secrets before it is shown.
func credNoPanic(t *testing.T, where string, secrets []string, fn func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprint(r)
			credClean(t, where+": panic message", msg, secrets)
			for _, s := range secrets {
				if s != "" {
					msg = strings.ReplaceAll(msg, s, "<SECRET>")
				}
			}
			t.Errorf("%s: panicked: %s", where, msg)
		}
	}()
	fn()
}

// credHost is a loopback server that must never be contacted: it counts
// every request (and what it carried) and answers 200 "{}".
type credHost struct {
	*httptest.Server
	n    atomic.Int64
	mu   sync.Mutex
	seen []string // method, URL and Authorization (or x-api-key) of each request
}

func credNewHost(t *testing.T) *credHost {
	t.Helper()
	h := &credHost{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.n.Add(1)
		h.mu.Lock()
		h.seen = append(h.seen, r.Method+" "+r.URL.String()+" auth="+r.Header.Get("Authorization")+r.Header.Get("x-api-key"))
		h.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(h.Close)
	return h
}

// Requests is how many requests the host received.
func (h *credHost) Requests() int64 { return h.n.Load() }

// requireUntouched fails the test when the host received anything.
func (h *credHost) requireUntouched(t *testing.T, what string) {
	t.Helper()
	if n := h.Requests(); n != 0 {
		h.mu.Lock()
		defer h.mu.Unlock()
		// The requests are shown without their Authorization values.
		lines := make([]string, len(h.seen))
		for i, s := range h.seen {
			lines[i], _, _ = strings.Cut(s, " auth=")
			if strings.Contains(s, " auth=") && !strings.HasSuffix(s, " auth=") {
				lines[i] += " (with an Authorization header)"
			}
		}
		t.Errorf("%s: the other host received %d request(s): %v", what, n, lines)
	}
}

// credLocalhostURL returns u with its host 127.0.0.1 replaced by localhost:
// the same server under another host name, which a client must treat as
// another host.
func credLocalhostURL(t *testing.T, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	if p.Hostname() != "127.0.0.1" {
		t.Fatalf("expected a 127.0.0.1 URL, got %s", u)
	}
	p.Host = "localhost:" + p.Port()
	return p.String()
}

// credRedirector is a loopback server that answers every request with a
// redirect to target + the request's path and query, and counts requests and
// the Authorization headers it saw.
type credRedirector struct {
	*httptest.Server
	n    atomic.Int64
	auth atomic.Int64
}

func credNewRedirector(t *testing.T, status int, target func(r *http.Request) string) *credRedirector {
	t.Helper()
	rd := &credRedirector{}
	rd.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rd.n.Add(1)
		if r.Header.Get("Authorization") != "" || r.Header.Get("x-api-key") != "" {
			rd.auth.Add(1)
		}
		http.Redirect(w, r, strings.TrimRight(target(r), "/")+r.URL.RequestURI(), status)
	}))
	t.Cleanup(rd.Close)
	return rd
}

// credClosedURL returns the URL of a loopback server that has been shut down:
// connecting to it fails.
func credClosedURL(t *testing.T) string {
	t.Helper()
	s := httptest.NewServer(http.NotFoundHandler())
	u := s.URL
	s.Close()
	return u
}

// Echo shapes: a server (or a gateway before it) that quotes the request's
// credentials in its error answer, in each provider's error shape and as
// HTML and plain text.
const (
	credShapeCodeMessage = iota // Workiva, DRF ("detail"), ActivTrak ("messages")
	credShapeErrorString        // Close, OAuth2/IAM
	credShapeErrorObject        // analytics
	credShapeHTML
	credShapeText
	// The three JSON shapes again with every character of the echo written
	// as a \uXXXX escape: the raw body no longer holds the secret, so only
	// redaction after decoding keeps it out of the decoded fields.
	credShapeCodeMessageEscaped
	credShapeErrorStringEscaped
	credShapeErrorObjectEscaped
	credShapes
)

// credEchoBody builds an error body of the given shape quoting echo.
func credEchoBody(shape int, echo string) (contentType, body string) {
	e := jsonString(echo)
	if shape >= credShapeCodeMessageEscaped {
		shape -= credShapeCodeMessageEscaped
		e = fakeserver.JSONEscapeAll(echo)
	}
	switch shape {
	case credShapeCodeMessage:
		return "application/json", `{"code":` + e + `,"message":` + e + `,"target":` + e +
			`,"details":[{"code":` + e + `,"message":` + e + `,"target":` + e + `}],"detail":` + e +
			`,"messages":[` + e + `],"title":` + e + `,"errors":[` + e + `],"non_field_errors":[` + e + `],"documentationUrl":` + e +
			`,"version":` + e + `}`
	case credShapeErrorString:
		return "application/json", `{"error":` + e + `,"error_description":` + e + `,"error_uri":` + e +
			`,"field-errors":{"field":` + e + `},"errors":[` + e + `]}`
	case credShapeErrorObject:
		return "application/json", `{"error":{"code":` + e + `,"message":` + e + `,"details":{"x":` + e + `}}}`
	case credShapeHTML:
		return "text/html; charset=utf-8", "<html><head><title>" + echo + "</title></head><body><h1>401</h1><p>" +
			echo + "</p></body></html>"
	default:
		return "text/plain; charset=utf-8", echo
	}
}

// jsonString quotes s as a JSON string without escaping "+", "/" or "=", so
// that base64 stays recognisable in the body.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// credEcho is one armed echo answer of a credProxy.
type credEcho struct {
	prefix string // path prefix it applies to ("" for every path)
	status int
	shape  int
	n      int // answers left
}

// credProxy stands between a client and a fake. It forwards every request
// unchanged (the Host header included, so the fake's next links name the
// proxy) and remembers every credential that passed through it. When armed,
// it answers instead with an error that quotes the credentials the request
// carried, in its body and in its X-Request-Id header.
type credProxy struct {
	*httptest.Server
	tr *http.Transport

	// private is a path prefix (a token endpoint) that only echoes armed
	// with that prefix answer.
	private string

	mu      sync.Mutex
	echoes  []credEcho
	secrets map[string]bool
	echoed  int
}

func credNewProxy(t *testing.T, target string) *credProxy {
	t.Helper()
	tu, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &credProxy{tr: &http.Transport{}, secrets: map[string]bool{}}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(tu)
			r.Out.Host = r.In.Host
		},
		Transport: p.tr,
		ErrorLog:  log.New(io.Discard, "", 0),
	}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		echo := p.observe(r)
		if e, ok := p.take(r.URL.Path); ok {
			ct, body := credEchoBody(e.shape, echo)
			w.Header().Set("Content-Type", ct)
			w.Header().Set("X-Request-Id", echo)
			w.Header().Set("Www-Authenticate", `Bearer error="invalid_token", error_description=`+jsonString(echo))
			w.WriteHeader(e.status)
			_, _ = w.Write([]byte(body))
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		p.Close()
		p.tr.CloseIdleConnections()
	})
	return p
}

// observe records the request's credentials as secrets and returns the text
// an echoing server would quote: the header value, its token, and for Basic
// the decoded user and password; a form body's client_secret too.
func (p *credProxy) observe(r *http.Request) string {
	var parts []string
	add := func(s string) {
		if len(s) >= 4 {
			p.secrets[s] = true
		}
		parts = append(parts, s)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if h := r.Header.Get("Authorization"); h != "" {
		parts = append(parts, "Authorization: "+h)
		scheme, cred, _ := strings.Cut(h, " ")
		add(cred)
		if strings.EqualFold(scheme, "Basic") {
			if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
				user, pass, _ := strings.Cut(string(raw), ":")
				if u, err := url.QueryUnescape(user); err == nil {
					user = u
				}
				if pw, err := url.QueryUnescape(pass); err == nil {
					pass = pw
				}
				if pass == "" {
					// A key sent as the user name (Close): the key.
					add(user)
				} else {
					add(user + ":" + pass)
					add(pass)
				}
			}
		}
	}
	if k := r.Header.Get("x-api-key"); k != "" {
		// ActivTrak's public contract (issue 13).
		parts = append(parts, "x-api-key: "+k)
		add(k)
	}
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if form, perr := url.ParseQuery(string(body)); err == nil && perr == nil {
			if s := form.Get("client_secret"); s != "" {
				add(s)
			}
		}
	}
	return "invalid credentials: " + strings.Join(parts, " | ")
}

// keepPrivate makes echoes armed without a prefix skip paths under prefix.
func (p *credProxy) keepPrivate(prefix string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.private = prefix
}

// take pops the next echo for path, if one is armed.
func (p *credProxy) take(path string) (credEcho, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.echoes {
		e := &p.echoes[i]
		if p.private != "" && e.prefix == "" && strings.HasPrefix(path, p.private) {
			continue
		}
		if e.n > 0 && strings.HasPrefix(path, e.prefix) {
			e.n--
			p.echoed++
			return *e, true
		}
	}
	return credEcho{}, false
}

// arm makes the next n requests under prefix answer status with an echo.
func (p *credProxy) arm(prefix string, status, shape, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.echoes = append(p.echoes, credEcho{prefix: prefix, status: status, shape: shape, n: n})
}

// disarm drops every armed echo and returns how many echoes were sent.
func (p *credProxy) disarm() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.echoes = nil
	n := p.echoed
	p.echoed = 0
	return n
}

// seen returns every credential that passed through the proxy.
func (p *credProxy) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.secrets))
	for s := range p.secrets {
		out = append(out, s)
	}
	return out
}
