package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// fuzzSecret is the credential of the fuzzed clients: it must never show in
// an error string, whatever the server answers.
const fuzzSecret = "fuzzS3cretT0kenQ7x"

// oneLineOK reports whether s is one line without control characters.
func oneLineOK(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "5", "1.5", "-1", "NaN", "Inf", "1e9", "1e10", "120",
		"Wed, 21 Oct 2015 07:28:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
		" 7 ", "0x10", "1_000", "+3", "9223372036854775807"} {
		f.Add(s, int64(1445412480))
	}
	f.Fuzz(func(t *testing.T, v string, nowUnix int64) {
		now := time.Unix(nowUnix%(1<<40), 0)
		d, ok := ParseRetryAfter(v, now)
		if d < 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, negative", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, false: want 0 with false", v, d)
		}
		// A plain whole number of seconds up to the 1e9 cap is read exactly.
		if n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 32); err == nil && n <= 1e9 {
			if !ok || d != time.Duration(n)*time.Second {
				t.Fatalf("ParseRetryAfter(%q) = %v, %v; want %v, true", v, d, ok, time.Duration(n)*time.Second)
			}
		}
	})
}

func FuzzRetryAfterHeader(f *testing.F) {
	f.Add("", "")
	f.Add("1500", "")
	f.Add("250.5", "3")
	f.Add("-5", "2")
	f.Add("abc", "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add("1e300", "1")
	f.Fuzz(func(t *testing.T, ms, ra string) {
		h := http.Header{}
		if ms != "" {
			h.Set("Retry-After-Ms", ms)
		}
		if ra != "" {
			h.Set("Retry-After", ra)
		}
		d, ok := retryAfterHeader(h, time.Unix(1445412480, 0))
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("retryAfterHeader(ms=%q, ra=%q) = %v, %v", ms, ra, d, ok)
		}
	})
}

func FuzzBodySnippet(f *testing.F) {
	f.Add([]byte("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"), "text/html")
	f.Add([]byte("<!DOCTYPE html><TITLE>Oops</TITLE>"), "")
	f.Add([]byte("upstream connect error\nor disconnect"), "text/plain")
	f.Add([]byte(`{"not":"the provider's shape"}`), "application/json")
	f.Add([]byte("<html><title>\u0130\u0130\u0130\u0130</title></html>"), "text/html")
	f.Add([]byte(""), "")
	// A Latin-1 error page: bytes that are not UTF-8.
	f.Add([]byte("<html><head><title>Zugriff f\xfcr Benutzer ung\xfcltig (Gr\xf6\xdfe)</title></head></html>"), "text/html; charset=iso-8859-1")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		s := BodySnippet(body, contentType)
		if !oneLineOK(s) {
			t.Fatalf("BodySnippet(%q) = %q: not one line", body, s)
		}
		if len(s) > 512+len("...") {
			t.Fatalf("BodySnippet: %d bytes, want at most 515", len(s))
		}
	})
}

func FuzzErrorInfoError(f *testing.F) {
	f.Add(429, "rate_limited", "slow down\nplease", "req-1\r\nX-Injected: 1", "GET", int64(3*time.Second), 2)
	f.Add(0, "", "", "", "", int64(0), 0)
	f.Add(999, "\x00\x1b[31m", "\u2028line", "\t", "POST", int64(-1), -3)
	f.Fuzz(func(t *testing.T, status int, code, msg, reqID, method string, retryAfter int64, attempts int) {
		e := &ErrorInfo{Provider: "fuzz", Method: method, URL: "https://example.test/x", StatusCode: status,
			Code: code, Message: msg, RequestID: reqID, RetryAfter: time.Duration(retryAfter), Attempts: attempts}
		s := e.Error()
		// The method is the SDK's own, not server text; everything the server
		// sends must be folded onto one line.
		if !oneLineOK(method) {
			return
		}
		if !oneLineOK(strings.ReplaceAll(s, "\t", " ")) {
			t.Fatalf("Error() = %q: not one line", s)
		}
	})
}

func FuzzEscapeSegment(f *testing.F) {
	for _, s := range []string{"", ".", "..", "../x", "a/b", "%2F", "QWN/+==", "a?b#c", "é", "\x00", "~a-b_c.d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := EscapeSegment(s)
		if strings.ContainsAny(e, "/?#") || e == "." || e == ".." {
			t.Fatalf("EscapeSegment(%q) = %q can change the path", s, e)
		}
		back, err := url.PathUnescape(e)
		if err != nil || back != s {
			t.Fatalf("EscapeSegment(%q) = %q unescapes to %q, %v", s, e, back, err)
		}
		u, err := url.Parse("https://h.test/base" + Path("list", s, "tail"))
		if err != nil {
			t.Fatalf("Path with %q does not parse: %v", s, err)
		}
		if got := u.JoinPath().EscapedPath(); !strings.HasPrefix(got, "/base/list/") || !strings.HasSuffix(got, "/tail") {
			t.Fatalf("Path with %q resolves to %q", s, got)
		}
		if u.Path != "/base/list/"+s+"/tail" {
			t.Fatalf("Path with %q decodes to %q", s, u.Path)
		}
	})
}

func FuzzEncodeQuery(f *testing.F) {
	f.Add("$filter", "action.alias eq 'user_login'", "$maxpagesize", "10")
	f.Add("a b", "c&d=e", "$", "")
	f.Add("$$x", "%zz", "k", "+")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		if !utf8.ValidString(k1+v1+k2+v2) || k1 == "" || k2 == "" {
			return
		}
		in := url.Values{}
		in.Add(k1, v1)
		in.Add(k2, v2)
		enc := EncodeQuery(in)
		got, err := url.ParseQuery(enc)
		if err != nil {
			t.Fatalf("EncodeQuery(%v) = %q does not parse: %v", in, enc, err)
		}
		if !reflect.DeepEqual(got, in) {
			t.Fatalf("EncodeQuery(%v) = %q parses back as %v", in, enc, got)
		}
	})
}

func FuzzSanitizeURL(f *testing.F) {
	f.Add("/x", "access_token", "abc", "page=2")
	f.Add("/x", "api_key", "a b&c", "")
	f.Add("/a%2Fb", "X-Amz-Signature", "zz", "x=%zz")
	f.Add("/", "page", "1", "code=1;d=2")
	f.Fuzz(func(t *testing.T, path, name, value, rawExtra string) {
		if name == "" {
			return
		}
		u, err := url.Parse("https://user:pw@h.test" + "/" + strings.TrimLeft(path, "/"))
		if err != nil || u.Host != "h.test" {
			return
		}
		u.RawQuery = url.Values{name: {"S3KRET" + value}}.Encode()
		if rawExtra != "" {
			u.RawQuery += "&" + rawExtra
		}
		s := SanitizeURL(u)
		if strings.Contains(s, "pw@") || strings.Contains(s, "user:") {
			t.Fatalf("SanitizeURL kept user info: %q", s)
		}
		if isSecretParam(name) && strings.Contains(s, "S3KRET") && !strings.Contains(path+rawExtra, "S3KRET") {
			t.Fatalf("SanitizeURL(%q) = %q shows the value of %q", u, s, name)
		}
	})
}

func FuzzResolveLink(f *testing.F) {
	for _, s := range []string{
		"http://127.0.0.1:8080/api/next?page=2", "https://127.0.0.1:8080/x", "http://evil.test/x",
		"//evil.test/x", "//127.0.0.1:8080/ok", "/relative?$next=abc", "opaque-token==",
		"http://127.0.0.1:8080@evil.test/", "http://user:pw@127.0.0.1:8080/", "HTTP://127.0.0.1:8080/up",
		"http://127.0.0.1:80/", "http://[::1]:8080/", " /x ", "/\\evil.test", "http:/x", "///evil.test",
	} {
		f.Add(s)
	}
	base, _ := url.Parse("http://127.0.0.1:8080/api")
	c := &Client{cfg: Config{Provider: "fuzz"}, base: base}
	f.Fuzz(func(t *testing.T, link string) {
		u, err := c.ResolveLink(link)
		if err != nil {
			if u != nil {
				t.Fatalf("ResolveLink(%q) = %v and error %v", link, u, err)
			}
			return
		}
		if u == nil {
			return
		}
		if u.Host != base.Host || !strings.EqualFold(u.Scheme, base.Scheme) || u.User != nil {
			t.Fatalf("ResolveLink(%q) = %q: not on the base host %q", link, u, base.Host)
		}
		// What is actually dialled: the request URL as net/http would send it.
		req, err := http.NewRequest(http.MethodGet, u.String(), nil)
		if err != nil {
			return
		}
		if req.URL.Host != base.Host {
			t.Fatalf("ResolveLink(%q) = %q, which re-parses to host %q", link, u, req.URL.Host)
		}
	})
}

func FuzzErrorAnswer(f *testing.F) {
	f.Add(401, []byte(`{"message":"bad token `+fuzzSecret+`"}`), "req-"+fuzzSecret, "application/json")
	f.Add(429, []byte("slow down"), "", "text/plain")
	f.Add(502, []byte("<html><title>Bad\nGateway</title></html>"), "r1", "text/html")
	f.Add(404, []byte{0xff, 0xfe, '\n', 'x'}, "a\r\nb", "")
	f.Fuzz(func(t *testing.T, status int, body []byte, requestID, contentType string) {
		status = 400 + int(uint(status)%200)
		h := http.Header{}
		h.Set("Content-Type", contentType)
		h.Set("X-Request-Id", requestID)
		rt := &fakeserver.Answerer{}
		rt.Set(status, h, body, true)
		c, err := New(Config{Provider: "fuzz", DefaultBaseURL: "http://127.0.0.1:9", Auth: BearerToken(fuzzSecret),
			Settings: Settings{Retry: NoRetries, HTTPClient: &http.Client{Transport: rt}}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/x"})
		var info *ErrorInfo
		if !errors.As(err, &info) {
			t.Fatalf("status %d: error %T %v, want *ErrorInfo", status, err, err)
		}
		if info.StatusCode != status {
			t.Fatalf("StatusCode = %d, want %d", info.StatusCode, status)
		}
		fakeserver.CheckErrorShown(t, err, fuzzSecret)
		if bytes.Contains(info.Body, []byte(fuzzSecret)) {
			t.Fatalf("the credential leaks in the body: %q", info.Body)
		}
	})
}

// fuzzSecretLike reports whether s looks like a credential for the redaction
// properties: at least six lowercase letters and digits, so that it cannot
// match inside the uppercase REDACTED marker or across a folded space.
func fuzzSecretLike(s string) bool {
	return len(s) >= 6 && !strings.ContainsFunc(s, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	})
}

// FuzzOneLine: the folded text is one line, valid UTF-8 when its input is,
// at most maxLen bytes plus "...", and holds a credential only if its input
// did (folding never joins one).
func FuzzOneLine(f *testing.F) {
	f.Add("line one\nline two", "secret1", 20)
	f.Add("secr\fet1", "secret1", 512)
	f.Add("é\x00é\x7fé", "abcdef", 3)
	f.Fuzz(func(t *testing.T, s, secret string, maxLen int) {
		maxLen = int(uint(maxLen) % 1024)
		out := OneLine(s, maxLen)
		if !oneLineOK(out) {
			t.Fatalf("OneLine(%q) = %q: not one line", s, out)
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("OneLine(%q) = %q: invalid UTF-8", s, out)
		}
		if len(out) > maxLen+len("...") {
			t.Fatalf("OneLine(%q, %d) = %q: %d bytes", s, maxLen, out, len(out))
		}
		if fuzzSecretLike(secret) && strings.Contains(out, secret) && !strings.Contains(s, secret) {
			t.Fatalf("OneLine(%q) = %q joined the secret %q", s, out, secret)
		}
	})
}

// FuzzRedactJSON: valid JSON stays valid, and no string in it (keys
// included) holds the credential once decoded, however it was escaped.
func FuzzRedactJSON(f *testing.F) {
	f.Add([]byte(`{"a":["s\u0065cret1",{"secret1":1.50}]}`), "secret1")
	f.Add([]byte(`"secret1secret1"`), "secret1")
	f.Add([]byte(`[1, null, true, "x"]`), "abcdef")
	f.Add([]byte(`{bad`), "abcdef")
	f.Fuzz(func(t *testing.T, raw []byte, secret string) {
		if !fuzzSecretLike(secret) {
			return
		}
		redact := func(s string) string { return strings.ReplaceAll(s, secret, "REDACTED") }
		out := RedactJSON(raw, redact)
		if !json.Valid(raw) {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("RedactJSON(%s) = %s: invalid JSON", raw, out)
		}
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatal(err)
		}
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				if strings.Contains(x, secret) {
					t.Fatalf("RedactJSON(%s) = %s: %q holds the secret", raw, out, x)
				}
			case []any:
				for _, y := range x {
					walk(y)
				}
			case map[string]any:
				for k, y := range x {
					walk(k)
					walk(y)
				}
			}
		}
		walk(v)
	})
}
