package core

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// Issue 14: servers that misbehave. Each test here failed before the fix.

// memDuring runs f and returns the bytes allocated meanwhile
// (runtime.MemStats.TotalAlloc) and the heap's peak growth (HeapAlloc sampled
// every 2ms, less its value before). The tests that use it do not run in
// parallel, so the figures are theirs (and the loopback server's).
func memDuring(f func()) (total, peak uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	done := make(chan struct{})
	peaked := make(chan uint64)
	go func() {
		var m runtime.MemStats
		top := before.HeapAlloc
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				peaked <- top
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				top = max(top, m.HeapAlloc)
			}
		}
	}()
	f()
	runtime.ReadMemStats(&after)
	close(done)
	top := max(<-peaked, after.HeapAlloc)
	return after.TotalAlloc - before.TotalAlloc, top - min(top, before.HeapAlloc)
}

func TestBodyCapStopsGzipBombAndEndlessBody(t *testing.T) {
	// Not parallel: the allocation figures must be this test's own.
	srv := echoServer(t, "")
	for _, tc := range []struct {
		name  string
		fault fakeserver.Fault
		limit int64 // 0: the default
		// bounds on the heap's peak growth and on all bytes allocated; before
		// the fix the whole body was read: 1 GiB for the bomb, and no end
		// at all for the endless body.
		peak, total uint64
	}{
		// 1 GiB once inflated, about 1 MB on the wire.
		{"gzip bomb, default cap", fakeserver.FaultGzipBomb, 0, 128 << 20, 256 << 20},
		{"gzip bomb, 1 MiB cap", fakeserver.FaultGzipBomb, 1 << 20, 16 << 20, 32 << 20},
		{"endless body, 1 MiB cap", fakeserver.FaultEndless, 1 << 20, 16 << 20, 32 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cl := newTestClient(t, srv.URL, func(c *Config) { c.Settings.MaxBodyBytes = tc.limit })
			srv.FailNext(tc.fault)
			var err error
			var out any
			total, peak := memDuring(func() {
				_, err = cl.DoJSON(context.Background(), &Request{Path: "/page"}, &out)
			})
			limit := tc.limit
			if limit == 0 {
				limit = DefaultMaxBodyBytes
			}
			require.ErrorIs(t, err, ErrBodyTooLarge)
			var re *RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, 1, re.Attempts, "the same request would get the same answer: not retried")
			assert.Contains(t, err.Error(), "WithMaxBodyBytes")
			assert.Contains(t, err.Error(), "limit of "+itoa64(limit)+" bytes")
			assert.Less(t, peak, tc.peak, "heap grew by %d MiB", peak>>20)
			assert.Less(t, total, tc.total, "allocated %d MiB", total>>20)
			t.Logf("%s: heap peak growth %d MiB (bound %d MiB), %d MiB allocated in all (bound %d MiB)",
				tc.name, peak>>20, tc.peak>>20, total>>20, tc.total>>20)
		})
	}
}

func itoa64(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestBodyCapBoundaryAndOption(t *testing.T) {
	t.Parallel()
	body := `{"pad":"` + strings.Repeat("x", 90) + `"}` // 100 bytes
	srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	})})
	defer srv.Close()
	exact := newTestClient(t, srv.URL, func(c *Config) { c.Settings.MaxBodyBytes = 100 })
	var out struct{ Pad string }
	_, err := exact.DoJSON(context.Background(), &Request{Path: "/x"}, &out)
	require.NoError(t, err)
	assert.Len(t, out.Pad, 90)
	short := newTestClient(t, srv.URL, func(c *Config) { c.Settings.MaxBodyBytes = 99 })
	_, err = short.DoJSON(context.Background(), &Request{Path: "/x"}, &out)
	require.ErrorIs(t, err, ErrBodyTooLarge)
	assert.Contains(t, err.Error(), "(Content-Length 100) passes the limit of 99 bytes (raise it with WithMaxBodyBytes)")

	var s Settings
	for _, n := range []int64{0, -1} {
		err := s.SetMaxBodyBytes(n)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "WithMaxBodyBytes")
	}
	require.NoError(t, s.SetMaxBodyBytes(1))
	assert.Equal(t, int64(1), s.MaxBodyBytes)
}

func TestStreamedBodyIsNotCapped(t *testing.T) {
	t.Parallel()
	srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("a,b\n", 100)))
	})})
	defer srv.Close()
	cl := newTestClient(t, srv.URL, func(c *Config) { c.Settings.MaxBodyBytes = 10 })
	resp, err := cl.Do(context.Background(), &Request{Path: "/csv", Stream: true})
	require.NoError(t, err)
	defer resp.Stream.Close()
	var n int
	buf := make([]byte, 64)
	for {
		k, err := resp.Stream.Read(buf)
		n += k
		if err != nil {
			break
		}
	}
	assert.Equal(t, 400, n)
}

func TestBlankBodyIsATruncatedAnswer(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, nil)

	// Retried, then the real answer.
	srv.FailNext(fakeserver.FaultBlank, fakeserver.FaultBlank)
	var out struct{ OK bool }
	resp, err := cl.DoJSON(context.Background(), &Request{Path: "/a"}, &out)
	require.NoError(t, err)
	assert.True(t, out.OK)
	assert.Equal(t, 3, resp.Attempts)

	// Blank on every attempt: a typed error, never a silent success.
	srv.FailNext(fakeserver.FaultBlank, fakeserver.FaultBlank, fakeserver.FaultBlank, fakeserver.FaultBlank)
	out.OK = false
	_, err = cl.DoJSON(context.Background(), &Request{Path: "/a"}, &out)
	require.ErrorIs(t, err, ErrTruncated)
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 4, re.Attempts)
	assert.Contains(t, err.Error(), "empty body where JSON is due")
	assert.False(t, out.OK)

	// A POST that is not safe to repeat: one attempt, the same typed error.
	srv.FailNext(fakeserver.FaultBlank)
	_, err = cl.DoJSON(context.Background(), &Request{Method: "POST", Path: "/a", JSON: map[string]int{"n": 1}}, &out)
	require.ErrorIs(t, err, ErrTruncated)
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 1, re.Attempts)

	// Without ExpectJSON (DoJSON with a nil out), an empty body is fine.
	srv.FailNext(fakeserver.FaultBlank)
	_, err = cl.DoJSON(context.Background(), &Request{Path: "/a"}, nil)
	require.NoError(t, err)
	// With ExpectJSON and Do (the caller decodes), it is retried too.
	srv.FailNext(fakeserver.FaultBlank)
	resp, err = cl.Do(context.Background(), &Request{Path: "/a", ExpectJSON: true})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Contains(t, string(resp.Body), `"ok":true`)
	resp.Release()
}

func TestNoContentIsNotTruncated(t *testing.T) {
	t.Parallel()
	srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})})
	defer srv.Close()
	cl := newTestClient(t, srv.URL, nil)
	out := map[string]any{"kept": true}
	resp, err := cl.DoJSON(context.Background(), &Request{Method: "DELETE", Path: "/x"}, &out)
	require.NoError(t, err)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, map[string]any{"kept": true}, out)
}

func TestBodyCutShortByCloseIsRetried(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, nil)

	srv.FailNext(fakeserver.FaultCutShort)
	var out struct {
		OK   bool
		Path string
	}
	resp, err := cl.DoJSON(context.Background(), &Request{Path: "/cut"}, &out)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, "/cut", out.Path)

	srv.FailNext(fakeserver.FaultCutShort, fakeserver.FaultCutShort, fakeserver.FaultCutShort, fakeserver.FaultCutShort)
	out.Path = ""
	_, err = cl.DoJSON(context.Background(), &Request{Path: "/cut"}, &out)
	require.ErrorIs(t, err, ErrTruncated)
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 4, re.Attempts)
	assert.Contains(t, err.Error(), "in the middle of its value")
	assert.Empty(t, out.Path, "a truncated body leaves out untouched")

	// Malformed (not truncated) JSON is not retried: the server would send it
	// again.
	bad := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"ok": tru}`))
	})})
	defer bad.Close()
	_, err = newTestClient(t, bad.URL, nil).DoJSON(context.Background(), &Request{Path: "/bad"}, &out)
	require.ErrorAs(t, err, &re)
	assert.NotErrorIs(t, err, ErrTruncated)
	assert.Equal(t, 1, re.Attempts)
	assert.Contains(t, err.Error(), "decoding response")
}

func TestRenewedTokenStaysRedactedUntilItExpires(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tokens := []string{"old-token-still-valid", "new-token-in-use"}
	fetches := 0
	ct := NewCachedToken(func(context.Context) (*oauth2.Token, error) {
		t := &oauth2.Token{AccessToken: tokens[fetches%2], Expiry: now.Add(time.Hour)}
		fetches++
		return t, nil
	}, 5*time.Minute)
	ct.now = func() time.Time { return now }

	// An answer to a request sent with the old token echoes it.
	srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-old-token-still-valid")
		fakeserver.WriteJSON(w, 400, map[string]string{"message": "token old-token-still-valid rejected for /x"})
	})})
	defer srv.Close()
	cl := newTestClient(t, srv.URL, func(c *Config) {
		c.Auth = ct
		c.Settings.Retry = NoRetries
		c.NewError = func(info ErrorInfo, redact func(string) string) error {
			var b struct{ Message string }
			_ = json.Unmarshal(info.Body, &b)
			info.Message = redact(b.Message)
			return &providerError{ErrorInfo: info}
		}
	})
	_, err := ct.Authorization(context.Background())
	require.NoError(t, err)
	now = now.Add(56 * time.Minute) // past the renewal point, 4 minutes before expiry
	_, err = cl.Do(context.Background(), &Request{Path: "/x"})
	require.Equal(t, 2, fetches, "the token was renewed early")
	var info *ErrorInfo
	require.ErrorAs(t, err, &info)
	for what, v := range map[string]string{"Error()": err.Error(), "Message": info.Message, "Body": string(info.Body),
		"RequestID": info.RequestID, "Header": info.Header.Get("X-Request-Id")} {
		assert.NotContains(t, v, "old-token-still-valid", what)
	}
	assert.ElementsMatch(t, []string{"old-token-still-valid", "new-token-in-use"}, ct.Secrets())

	// Once expired, the old token is forgotten; the list stays bounded.
	now = now.Add(5 * time.Minute)
	assert.Equal(t, []string{"new-token-in-use"}, ct.Secrets())
	for range 10 {
		ct.Invalidate("Bearer " + ct.Secrets()[len(ct.Secrets())-1])
		_, err = ct.Authorization(context.Background())
		require.NoError(t, err)
	}
	assert.LessOrEqual(t, len(ct.previous), keptTokens)
}

func TestErrorBodyRedactedAfterJSONUnescaping(t *testing.T) {
	t.Parallel()
	const secret = "sk/live_Abc+def=="
	bodies := []string{
		`{"message":"key sk\/live_Abc+def== is revoked","n":1.50}`,
		`{"message":"key \u0073k\/live\u005fAbc\u002bdef== is revoked","n":1.50}`,
		`{"sk\/live_Abc+def==":["nested", {"k":"sk\/live_Abc+def=="}]}`,
		`{"message":"key sk\/live_Abc+def== is revoked", "cut": "tr`, // invalid JSON: literals still cleaned
	}
	for _, body := range bodies {
		srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			_, _ = w.Write([]byte(body))
		})})
		cl := newTestClient(t, srv.URL, func(c *Config) { c.Secrets = []string{secret}; c.Settings.Retry = NoRetries })
		_, err := cl.Do(context.Background(), &Request{Path: "/x"})
		srv.Close()
		var info *ErrorInfo
		require.ErrorAs(t, err, &info)
		assert.NotContains(t, string(info.Body), secret)
		assert.NotContains(t, string(info.Body), `sk\/live`)
		if json.Valid([]byte(body)) {
			require.True(t, json.Valid(info.Body), "Body stays valid JSON: %s", info.Body)
			var v any
			require.NoError(t, json.Unmarshal(info.Body, &v))
			dump, _ := json.Marshal(v)
			assert.NotContains(t, string(dump), "live_Abc", "decoded Body %s", dump)
			assert.Contains(t, string(info.Body), "REDACTED")
			if strings.Contains(body, "1.50") {
				assert.Contains(t, string(info.Body), "1.50", "the rest is kept byte for byte")
			}
		}
	}
}

func TestRequestErrorRedactedWhole(t *testing.T) {
	t.Parallel()
	const key = "k3y-in-a-location"
	srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cross":
			http.Redirect(w, r, "http://localhost:1/steal/"+key+"?q="+key, http.StatusFound)
		default:
			fakeserver.WriteJSON(w, 200, map[string]any{"ok": true})
		}
	})})
	defer srv.Close()
	cl := newTestClient(t, srv.URL, func(c *Config) { c.Auth = SchemeToken("Key", key) })
	_, err := cl.Do(context.Background(), &Request{Path: "/cross"})
	require.ErrorIs(t, err, ErrCrossHostRedirect)
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.NotContains(t, err.Error(), key)
	assert.NotContains(t, re.URL, key)
	assert.NotContains(t, re.Err.Error(), key)
	assert.Contains(t, err.Error(), "/steal/REDACTED")

	// A request URL carrying the credential (a next link that echoes it) is
	// redacted in the URL field and the text.
	srv.FailNext(fakeserver.FaultDrop)
	_, err = newTestClient(t, srv.URL, func(c *Config) {
		c.Auth = SchemeToken("Key", key)
		c.Settings.Retry = NoRetries
		c.Settings.HTTPClient = freshHTTPClient(t)
	}).Do(context.Background(), &Request{Path: "/list/" + key})
	require.ErrorAs(t, err, &re)
	assert.NotContains(t, err.Error(), key)
	assert.NotContains(t, re.URL, key)
	assert.Contains(t, re.URL, "/list/REDACTED")
}

func TestErrorTextCapsTheURL(t *testing.T) {
	t.Parallel()
	srv := echoServer(t, "")
	cl := newTestClient(t, srv.URL, func(c *Config) { c.Settings.Retry = NoRetries; c.Settings.HTTPClient = freshHTTPClient(t) })
	token := strings.Repeat("n", 200<<10) // a 200 KB next token

	srv.FailNext(fakeserver.Fault500)
	_, err := cl.Do(context.Background(), &Request{Path: "/page", Query: map[string][]string{"next": {token}}})
	var info *ErrorInfo
	require.ErrorAs(t, err, &info)
	assert.Less(t, len(err.Error()), 1024, "Error() is capped")
	assert.Contains(t, info.URL, token, "the URL field keeps the whole sanitized URL")

	srv.FailNext(fakeserver.FaultDrop)
	_, err = cl.Do(context.Background(), &Request{Path: "/page", Query: map[string][]string{"next": {token}}})
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Less(t, len(err.Error()), 1024, "Error() is capped")
	assert.Contains(t, re.URL, token)
	assert.False(t, errors.Is(err, ErrTruncated))
}

// freshHTTPClient never reuses a connection: net/http silently retries a GET
// whose reused connection was dropped, which would hide a dropped connection.
func freshHTTPClient(t *testing.T) *http.Client {
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}
