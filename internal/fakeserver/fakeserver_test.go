package fakeserver

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newEcho(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.Handler == nil {
		cfg.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			WriteJSON(w, 200, map[string]any{"segments": Segments(r), "body": strings.Repeat("x", 100)})
		})
	}
	s := New(cfg)
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, s *Server, path string, hdr ...string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := s.Client()
	c.Timeout = 2 * time.Second
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestFaultKinds(t *testing.T) {
	t.Parallel()
	s := newEcho(t, Config{})
	s.FailNext(Fault{Kind: Status, Status: 429, RetryAfter: 1500 * time.Millisecond})
	resp, body, err := get(t, s, "/a")
	require.NoError(t, err)
	assert.Equal(t, 429, resp.StatusCode)
	assert.Equal(t, "2", resp.Header.Get("Retry-After"))
	assert.JSONEq(t, `{"code":"injected_fault","message":"injected fault: Too Many Requests"}`, string(body))

	s.FailNext(Fault{Kind: Status, Status: 503, RetryAfterRaw: "0.25", Body: "<html>down</html>", Header: http.Header{"X-Request-Id": {"r9"}}})
	resp, body, err = get(t, s, "/a")
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, "0.25", resp.Header.Get("Retry-After"))
	assert.Equal(t, "r9", resp.Header.Get("X-Request-Id"))
	assert.Equal(t, "<html>down</html>", string(body))

	s.FailNext(Fault{Kind: Status})
	resp, _, err = get(t, s, "/a")
	require.NoError(t, err)
	assert.Equal(t, 500, resp.StatusCode)

	// A fresh connection: Go's transport re-sends a GET by itself only when
	// a reused connection drops.
	s.FailNext(FaultDrop)
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	_, err = fresh.Get(s.URL + "/a")
	assert.Error(t, err)

	s.FailNext(FaultTruncate)
	_, _, err = get(t, s, "/a")
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	s.FailNext(Fault{Kind: Slow, Delay: 30 * time.Millisecond})
	start := time.Now()
	resp, _, err = get(t, s, "/a")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)

	reqs := s.Requests()
	require.Len(t, reqs, 6)
	assert.Equal(t, Drop, reqs[3].Fault.Kind)
	assert.Equal(t, int64(6), s.RequestCount())
}

func TestSlowFaultEndsWhenClientLeaves(t *testing.T) {
	t.Parallel()
	s := newEcho(t, Config{})
	s.FailNext(Fault{Kind: Slow, Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/slow", nil)
	_, err := s.Client().Do(req)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestFaultPathFilterAndClear(t *testing.T) {
	t.Parallel()
	s := newEcho(t, Config{})
	s.FailNext(Fault{Kind: Status, Status: 502, Path: "/api"})
	resp, _, _ := get(t, s, "/token")
	assert.Equal(t, 200, resp.StatusCode, "fault waits for its path")
	resp, _, _ = get(t, s, "/api/x")
	assert.Equal(t, 502, resp.StatusCode)

	s.FailNext(Fault500)
	s.FailRandomly(1, 7, Fault503)
	s.ClearFaults()
	resp, _, _ = get(t, s, "/api/x")
	assert.Equal(t, 200, resp.StatusCode)
}

func TestFailRandomlyIsReproducible(t *testing.T) {
	t.Parallel()
	run := func(seed uint64) []int {
		s := newEcho(t, Config{})
		s.FailRandomly(0.3, seed, Fault500, Fault503, Fault{Kind: Status, Status: 429, Path: "/never"})
		var codes []int
		for i := 0; i < 60; i++ {
			resp, _, err := get(t, s, "/x")
			require.NoError(t, err)
			codes = append(codes, resp.StatusCode)
		}
		return codes
	}
	a, b := run(42), run(42)
	assert.Equal(t, a, b)
	failed := 0
	for _, c := range a {
		if c != 200 {
			failed++
		}
	}
	assert.Greater(t, failed, 5)
	assert.Less(t, failed, 35)
	assert.NotEqual(t, a, run(43))
	all := AllFaults(300*time.Millisecond, time.Millisecond)
	assert.Len(t, all, 8)
	assert.Equal(t, "0.3", all[0].RetryAfterRaw)
	assert.Equal(t, "", AllFaults(2*time.Second, 0)[0].RetryAfterRaw)
}

func TestAuthAndPublicPaths(t *testing.T) {
	t.Parallel()
	s := newEcho(t, Config{
		Auth:   CheckScheme("Token", func(tok string) bool { return Equal(tok, "good") }),
		Public: []string{"/oauth2/token"},
		Errors: func(w http.ResponseWriter, r *http.Request, status int, code, message string) {
			WriteJSON(w, status, map[string]string{"detail": message})
		},
	})
	resp, body, _ := get(t, s, "/x")
	assert.Equal(t, 401, resp.StatusCode)
	assert.JSONEq(t, `{"detail":"invalid or missing credentials"}`, string(body))
	resp, _, _ = get(t, s, "/x", "Authorization", "token good")
	assert.Equal(t, 200, resp.StatusCode)
	resp, _, _ = get(t, s, "/x", "Authorization", "Bearer good")
	assert.Equal(t, 401, resp.StatusCode)
	resp, _, _ = get(t, s, "/oauth2/token")
	assert.Equal(t, 200, resp.StatusCode)
	// Untargeted faults pass public paths by; a fault naming one hits it.
	s.FailNext(Fault500)
	s.FailRandomly(1, 1, Fault503)
	resp, _, _ = get(t, s, "/oauth2/token")
	assert.Equal(t, 200, resp.StatusCode)
	s.ClearFaults()
	s.FailNext(Fault{Kind: Status, Status: 502, Path: "/oauth2/token"})
	resp, _, _ = get(t, s, "/oauth2/token")
	assert.Equal(t, 502, resp.StatusCode)
	r, ok := s.LastRequest()
	require.True(t, ok)
	assert.Equal(t, "/oauth2/token", r.Path)
	assert.True(t, CheckBearer(func(string) bool { return true })(&http.Request{Header: http.Header{"Authorization": {"bearer x"}}}))
}

func TestSegmentsAndMatch(t *testing.T) {
	t.Parallel()
	s := newEcho(t, Config{})
	_, body, err := get(t, s, "/organizations/a%2Fb/workspaces/%2E%2E/activities")
	require.NoError(t, err)
	assert.Contains(t, string(body), `"segments":["organizations","a/b","workspaces","..","activities"]`)

	vals, ok := Match([]string{"organizations", "o1", "activities"}, "organizations", "{}", "activities")
	assert.True(t, ok)
	assert.Equal(t, []string{"o1"}, vals)
	_, ok = Match([]string{"organizations", "o1"}, "organizations", "{}", "activities")
	assert.False(t, ok)
	_, ok = Match([]string{"x", "o1", "activities"}, "organizations", "{}", "activities")
	assert.False(t, ok)
	r, _ := http.NewRequest("GET", "http://h/", nil)
	assert.Equal(t, []string{}, Segments(r))
	r, _ = http.NewRequest("GET", "http://h/a%zz", nil)
	if r != nil {
		assert.Nil(t, Segments(r))
	}
}

func TestLogLimitAndReset(t *testing.T) {
	t.Parallel()
	s := newEcho(t, Config{LogLimit: 10})
	for i := 0; i < 25; i++ {
		_, _, err := get(t, s, "/x")
		require.NoError(t, err)
	}
	assert.LessOrEqual(t, len(s.Requests()), 10)
	assert.Equal(t, int64(25), s.RequestCount())
	s.ResetRequests()
	assert.Empty(t, s.Requests())
	_, ok := s.LastRequest()
	assert.False(t, ok)
	assert.GreaterOrEqual(t, s.Connections(), int64(1))
}

func TestTLSAndKindString(t *testing.T) {
	t.Parallel()
	s := newEcho(t, Config{TLS: true})
	assert.True(t, strings.HasPrefix(s.URL, "https://"))
	resp, _, err := get(t, s, "/x")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	for k, want := range map[Kind]string{Status: "status", Drop: "drop", Truncate: "truncate", Slow: "slow", Kind(99): "kind(99)"} {
		assert.Equal(t, want, k.String())
	}
}

func TestWriteJSONError(t *testing.T) {
	t.Parallel()
	s := newEcho(t, Config{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, 200, map[string]any{"bad": func() {}})
	})})
	resp, _, err := get(t, s, "/x")
	require.NoError(t, err)
	assert.Equal(t, 500, resp.StatusCode)
}
