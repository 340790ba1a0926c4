package core

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPathEscaping(t *testing.T) {
	t.Parallel()
	cases := []struct{ seg, want string }{
		{"plain-id_1.x~", "plain-id_1.x~"},
		{"a/b", "a%2Fb"},
		{"..", "%2E%2E"},
		{".", "%2E"},
		{"../x", "..%2Fx"},
		{"ab+c/d==", "ab%2Bc%2Fd%3D%3D"},
		{"%2F", "%252F"},
		{"sp ace?#", "sp%20ace%3F%23"},
		{"ü", "%C3%BC"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, EscapeSegment(c.seg), c.seg)
	}
	assert.Equal(t, "/activities/a%2Fb/x", Path("activities", "a/b", "x"))
}

// TestIDsCannotChangeThePath sends hostile ids to a server and checks that
// each arrives as one segment under the base path.
func TestIDsCannotChangeThePath(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL+"/api/v2/", nil)
	for _, id := range []string{"../x", "a/b", "%2F", "..", "x?y=1#z", "b64+/=="} {
		resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: Path("items", id)})
		require.NoError(t, err, id)
		resp.Release()
		r, _ := srv.LastRequest()
		segs := strings.Split(strings.TrimPrefix(r.RawPath, "/"), "/")
		require.Len(t, segs, 4, "path %s for id %q", r.RawPath, id)
		assert.Equal(t, []string{"api", "v2", "items"}, segs[:3])
		got, err := url.PathUnescape(segs[3])
		require.NoError(t, err)
		assert.Equal(t, id, got)
		assert.Empty(t, r.RawQuery, "id %q must not add a query", id)
	}
}

func TestBaseURLPathKeptAndQueryEncoded(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL+"/api/v1", nil)
	q := url.Values{"$maxpagesize": {"50"}, "$filter": {"action.alias eq 'a b'"}, "plain": {"x&y"}}
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/report/activity/", Query: q})
	require.NoError(t, err)
	resp.Release()
	r, _ := srv.LastRequest()
	assert.Equal(t, "/api/v1/report/activity/", r.Path)
	assert.Equal(t, "$filter=action.alias+eq+%27a+b%27&$maxpagesize=50&plain=x%26y", r.RawQuery)
	assert.Equal(t, "50", r.Query.Get("$maxpagesize"))
	assert.Equal(t, "action.alias eq 'a b'", r.Query.Get("$filter"))
}

func TestEncodeQuery(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "", EncodeQuery(nil))
	assert.Equal(t, "$next=abc%3D%3D&a=1&a=2&b=%24x", EncodeQuery(url.Values{"$next": {"abc=="}, "a": {"1", "2"}, "b": {"$x"}}))
}

func TestHeadersAndUserAgent(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Settings.UserAgent = "nightly-export/2.1"
		c.Header = http.Header{"X-Version": {"2026-01-01"}}
	})
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x", Header: http.Header{"Accept": {"text/csv"}}})
	require.NoError(t, err)
	resp.Release()
	r, _ := srv.LastRequest()
	assert.Equal(t, "activity-go/"+Version+" nightly-export/2.1", r.Header.Get("User-Agent"))
	assert.Equal(t, "2026-01-01", r.Header.Get("X-Version"))
	assert.Equal(t, "text/csv", r.Header.Get("Accept"))
	assert.Empty(t, r.Header.Get("Authorization"))
}

func TestBaseURLRules(t *testing.T) {
	t.Parallel()
	ok := []string{"https://api.example.com/v2", "http://127.0.0.1:8080", "http://localhost:1/x/", "http://[::1]:99"}
	bad := map[string]string{
		"":                                "empty",
		"http://api.example.com":          "only allowed for loopback",
		"ftp://x":                         "absolute https",
		"/relative":                       "absolute https",
		"https://user:pw@api.example.com": "user info",
		"https://api.example.com/?a=1":    "query",
		"http://10.0.0.1":                 "only allowed for loopback",
	}
	for _, u := range ok {
		_, err := ParseBaseURL(u)
		assert.NoError(t, err, u)
	}
	for u, want := range bad {
		_, err := ParseBaseURL(u)
		require.Error(t, err, u)
		assert.Contains(t, err.Error(), want, u)
		assert.NotContains(t, err.Error(), "pw@", "user info never shown")
	}
	u, err := ParseBaseURL("https://api.example.com/v2/")
	require.NoError(t, err)
	assert.Equal(t, "/v2", u.Path)
	_, err = New(Config{Provider: "p", DefaultBaseURL: "http://example.com"})
	assert.ErrorContains(t, err, "p: base URL")
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	var otherHits atomic.Int32
	var otherAuth atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		otherAuth.Store(r.Header.Get("Authorization"))
		w.WriteHeader(200)
	}))
	defer other.Close()
	// "localhost" vs "127.0.0.1": another host name for the same machine.
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)

	srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/same":
			http.Redirect(w, r, "/final", http.StatusFound)
		case "/cross":
			http.Redirect(w, r, otherURL+"/steal", http.StatusFound)
		default:
			fakeserver.WriteJSON(w, 200, map[string]string{"auth": r.Header.Get("Authorization")})
		}
	})})
	defer srv.Close()
	cl := newTestClient(t, srv.URL, func(c *Config) { c.Auth = BearerToken("redirect-secret") })

	var out struct{ Auth string }
	_, err := cl.DoJSON(context.Background(), &Request{Method: "GET", Path: "/same"}, &out)
	require.NoError(t, err)
	assert.Equal(t, "Bearer redirect-secret", out.Auth, "same-host redirect keeps auth")

	_, err = cl.Do(context.Background(), &Request{Method: "GET", Path: "/cross"})
	require.ErrorIs(t, err, ErrCrossHostRedirect)
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 1, re.Attempts, "a refused redirect is not retried")
	assert.Equal(t, int32(0), otherHits.Load(), "the other host was never contacted")
	assert.NotContains(t, err.Error(), "redirect-secret")
}

func TestUserHTTPClientNotMutated(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	user := &http.Client{Timeout: 5 * time.Second}
	cl := newTestClient(t, srv.URL, func(c *Config) { c.Settings.HTTPClient = user })
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	assert.Nil(t, user.Transport)
	assert.Nil(t, user.CheckRedirect)
	assert.NotSame(t, user, cl.HTTPClient())
}

// TestConnectionReuse: a sequential run of calls, errors and retries
// included, uses one TCP connection.
func TestConnectionReuse(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, func(c *Config) { c.Settings.HTTPClient = &http.Client{Transport: &http.Transport{}} })
	defer cl.HTTPClient().Transport.(*sdkTransport).base.(*http.Transport).CloseIdleConnections()
	for i := 0; i < 20; i++ {
		if i%4 == 1 {
			srv.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 404})
		}
		if i%4 == 2 {
			srv.FailNext(fakeserver.Fault503, fakeserver.Fault503, fakeserver.Fault503, fakeserver.Fault503)
		}
		resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
		if err == nil {
			resp.Release()
		}
	}
	assert.Equal(t, int64(1), srv.Connections())
	assert.GreaterOrEqual(t, srv.RequestCount(), int64(30))
}

func TestRateLimitAppliesToEveryAttempt(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	logger, logs := newLogger()
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Settings.RatePerSec, c.Settings.RateBurst = 20, 1
		c.Settings.Logger = logger
	})
	srv.FailNext(fakeserver.Fault500, fakeserver.Fault500)
	start := time.Now()
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	// Three attempts at 20/s with burst 1: at least two 50ms waits.
	assert.GreaterOrEqual(t, time.Since(start), 90*time.Millisecond)
	assert.Contains(t, logs.String(), "rate limit wait")
	assert.Regexp(t, `level=INFO msg="activity-go: rate limit wait" .*reason=.* wait=`, logs.String(),
		"the README promises rate-limit waits at Info, with reason and wait")

	// A cancelled context ends a rate-limit wait at once.
	ctx, cancel := context.WithCancel(context.Background())
	cl2 := newTestClient(t, srv.URL, func(c *Config) {
		c.Settings.RatePerSec, c.Settings.RateBurst = 0.01, 1
		c.Settings.Logger = onLog("activity-go: rate limit wait", cancel) // the wait starts: cancel it
	})
	resp, err = cl2.Do(ctx, &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	start = time.Now()
	_, err = cl2.Do(ctx, &Request{Method: "GET", Path: "/x"})
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestErrorBodyCappedAndOneLine(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 3<<20)
	srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "rid-1")
		w.WriteHeader(400)
		_, _ = w.Write([]byte(big))
	})})
	defer srv.Close()
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.NewError = func(info ErrorInfo, _ func(string) string) error {
			info.Code, info.Message = "bad\nrequest", "line one\nline two"
			return &info
		}
	})
	_, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x", Query: url.Values{"api_key": {"k-123"}, "page": {"2"}}})
	var info *ErrorInfo
	require.ErrorAs(t, err, &info)
	assert.Len(t, info.Body, MaxErrorBody)
	assert.Equal(t, 400, info.StatusCode)
	assert.Equal(t, "rid-1", info.RequestID)
	msg := err.Error()
	assert.NotContains(t, msg, "\n")
	assert.NotContains(t, msg, "k-123")
	assert.Contains(t, msg, "api_key=REDACTED")
	assert.Contains(t, msg, "400 Bad Request: bad request: line one line two (request id rid-1)")
}

func TestSentinels(t *testing.T) {
	t.Parallel()
	cases := map[int]error{401: ErrUnauthorized, 403: ErrForbidden, 404: ErrNotFound, 429: ErrRateLimited}
	for status, want := range cases {
		e := &ErrorInfo{StatusCode: status}
		assert.ErrorIs(t, e, want)
		for _, other := range cases {
			if other != want {
				assert.False(t, errors.Is(e, other))
			}
		}
	}
	assert.True(t, (&ErrorInfo{StatusCode: 503}).Temporary())
	assert.False(t, (&ErrorInfo{StatusCode: 400}).Temporary())
}

func TestResolveLink(t *testing.T) {
	t.Parallel()
	cl := newTestClient(t, "https://api.example.com/v1", nil)
	u, err := cl.ResolveLink("https://api.example.com/v1/things?$next=abc")
	require.NoError(t, err)
	assert.Equal(t, "https://api.example.com/v1/things?$next=abc", u.String())
	u, err = cl.ResolveLink("/v1/things?page=2")
	require.NoError(t, err)
	assert.Equal(t, "https://api.example.com/v1/things?page=2", u.String())
	u, err = cl.ResolveLink("opaque-token==")
	require.NoError(t, err)
	assert.Nil(t, u)
	// A same-host http:// link (a server behind a TLS proxy) is upgraded to
	// https; it is never followed over http.
	u, err = cl.ResolveLink("http://API.example.com/v1/things?page=3")
	require.NoError(t, err)
	assert.Equal(t, "https://API.example.com/v1/things?page=3", u.String())
	for _, bad := range []string{"https://evil.example.net/v1/things", "http://api.example.com:80/v1/x", "http://evil.example.net/v1/x",
		"//evil.example.net/x", "https://api.example.com:8443/x", "https://u:p@api.example.com/x"} {
		_, err := cl.ResolveLink(bad)
		require.ErrorIs(t, err, ErrForeignLink, bad)
		assert.NotContains(t, err.Error(), "u:p")
	}
	_, err = cl.Do(context.Background(), &Request{URL: &url.URL{Scheme: "https", Host: "evil.example.net", Path: "/x"}})
	require.ErrorIs(t, err, ErrForeignLink)
}

func TestLogsCarryNoCredentials(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "log-secret-token")
	logger, logs := newLogger()
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Auth = BearerToken("log-secret-token")
		c.Settings.Logger = logger
	})
	srv.FailNext(fakeserver.Fault503)
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x", Query: url.Values{"token": {"q-secret"}}})
	require.NoError(t, err)
	resp.Release()
	out := logs.String()
	assert.Contains(t, out, "activity-go: request")
	assert.Contains(t, out, "activity-go: retry")
	assert.Contains(t, out, "attempt=2")
	assert.NotContains(t, out, "log-secret-token")
	assert.NotContains(t, out, "q-secret")
}

func TestSanitizeURL(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("https://u:p@h.example.com/p?client_secret=s&access_token=t&page=2#frag")
	assert.Equal(t, "https://h.example.com/p?access_token=REDACTED&client_secret=REDACTED&page=2", SanitizeURL(u))
	assert.Equal(t, "", SanitizeURL(nil))
}

func TestRateLimitWaitPastDeadlineFailsAtOnce(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, func(c *Config) { c.Settings.RatePerSec, c.Settings.RateBurst = 0.2, 1 })
	resp, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.NoError(t, err)
	resp.Release()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err = cl.Do(ctx, &Request{Method: "GET", Path: "/x"}) // the next token is 5s away
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "rate limit wait of")
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 1, re.Attempts, "not retried")
	assert.Less(t, time.Since(start), 500*time.Millisecond, "returned at once")
	assert.Equal(t, int64(1), srv.RequestCount())
	// The cancelled reservation gave the token back: a call without a
	// deadline still gets it after the wait (not tested for time here).
}

// TestOneLineNeverJoinsASecret: a request id or message that holds the
// credential split by a control character must not show the credential once
// folded onto one line (dropping the control character used to join it).
func TestOneLineNeverJoinsASecret(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3tT0kenValue"
	// A real HTTP/1 client refuses such a header, so the answer comes from an
	// in-memory transport (an HTTP/2 proxy or a custom RoundTripper can pass
	// one through).
	rt := &fakeserver.Answerer{}
	rt.Set(400, http.Header{"X-Request-Id": {"s3cr3t\fT0kenValue"}}, nil, true)
	cl := newTestClient(t, "http://127.0.0.1:9", func(c *Config) {
		c.Settings.HTTPClient = &http.Client{Transport: rt}
		c.Secrets = []string{secret}
		c.NewError = func(info ErrorInfo, _ func(string) string) error {
			info.Code, info.Message = "s3cr3tT0ken\x00Value", "s3cr3t\x7fT0kenValue"
			return &info
		}
	})
	_, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret)
	assert.Contains(t, err.Error(), "s3cr3t\uFFFDT0kenValue", "control characters are shown as U+FFFD")
}

func TestOneLineCutsOnARuneBoundary(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "a b c\uFFFDd", OneLine(" a\nb\tc\x01d\r ", 100))
	assert.Equal(t, "ab...", OneLine("abé", 3), "é is two bytes; the cut falls before it")
	assert.Equal(t, "abé...", OneLine("abéz", 4))
	assert.Equal(t, "abc", OneLine("abc", 3))
	assert.Equal(t, "...", OneLine("é", 1))
}

func TestRedactJSONAndJSONText(t *testing.T) {
	t.Parallel()
	redact := func(s string) string { return strings.ReplaceAll(s, "tok/123", "REDACTED") }
	// Escaped in the raw text: only decoding shows the credential.
	raw := json.RawMessage(`{"b":[1,"tok\/123"],"tok\u002f123":{"x":"\u0074ok/123 here"},"n":1.50}`)
	got := RedactJSON(raw, redact)
	assert.JSONEq(t, `{"b":[1,"REDACTED"],"REDACTED":{"x":"REDACTED here"},"n":1.50}`, string(got))
	assert.Contains(t, string(got), `1.50`, "numbers keep their text")
	clean := json.RawMessage(`{"a": "b\u0020c"}`)
	assert.Equal(t, string(clean), string(RedactJSON(clean, redact)), "unchanged input is returned as it came")
	assert.Equal(t, "not json tok/123", string(RedactJSON(json.RawMessage("not json tok/123"), redact)),
		"invalid JSON is returned as is (the body was redacted byte for byte)")

	assert.Equal(t, `{"a":"tok/123","b":[1.0,null]}`, JSONText(json.RawMessage(`{ "b": [1.0, null], "a": "\u0074ok\/123" }`)))
	assert.Equal(t, `<a&b>`, strings.Trim(JSONText(json.RawMessage(`"\u003ca\u0026b\u003e"`)), `"`), "no HTML escaping")
	assert.Equal(t, `{bad`, JSONText(json.RawMessage(`{bad`)))
}

// TestErrorInfoHeaderRedacted: a server that echoes the credential in an
// answer header (WWW-Authenticate, X-Request-Id) does not hand it to the
// user through ErrorInfo.Header or RequestID.
func TestErrorInfoHeaderRedacted(t *testing.T) {
	t.Parallel()
	const secret = "hdr-s3cret-value"
	srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+secret+` is expired"`)
		w.Header().Set("X-Request-Id", "rid-"+secret)
		w.WriteHeader(401)
	})})
	defer srv.Close()
	cl := newTestClient(t, srv.URL, func(c *Config) { c.Secrets = []string{secret} })
	_, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/x"})
	var info *ErrorInfo
	require.ErrorAs(t, err, &info)
	assert.Equal(t, `Bearer error="invalid_token", error_description="REDACTED is expired"`, info.Header.Get("WWW-Authenticate"))
	assert.Equal(t, "rid-REDACTED", info.RequestID)
	assert.Equal(t, "rid-REDACTED", info.Header.Get("X-Request-Id"))
}
