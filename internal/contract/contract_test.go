package contract_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/internal/contract"
	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// spy is a testing.TB that keeps Errorf calls instead of failing.
type spy struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (s *spy) Helper() {}

func (s *spy) Errorf(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = append(s.errs, fmt.Sprintf(format, args...))
}

func (s *spy) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.errs...)
}

const doc = "testdata/items.openapi.yaml"

// items answers like the document says, or as told by the query "as".
func items(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Query().Get("as") {
	case "missing-id":
		fakeserver.WriteJSON(w, 200, map[string]any{"n": 1})
	case "undeclared":
		fakeserver.WriteJSON(w, 200, map[string]any{"id": "a", "date": "x"})
	case "free":
		fakeserver.WriteJSON(w, 200, map[string]any{"id": "a", "extra": map[string]any{"anything": 1}})
	case "404":
		fakeserver.WriteJSON(w, 404, map[string]any{"whatever": true})
	case "exempt":
		fakeserver.MarkExempt(w, "test")
		w.WriteHeader(500)
		_, _ = io.WriteString(w, "not json at all")
	default:
		fakeserver.WriteJSON(w, 200, map[string]any{"id": strings.TrimPrefix(r.URL.Path, "/items/"), "n": 1})
	}
}

func get(t *testing.T, url string, hdr map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("x-api-key", "k")
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func TestHandler(t *testing.T) {
	cases := []struct {
		name, query string
		hdr         map[string]string
		want        string // substring of the one error, "" for none
		stats       contract.Stats
	}{
		{name: "valid", query: "?limit=3", stats: contract.Stats{Requests: 1, Answers: 1}},
		{name: "undeclared query name", query: "?userId=3", want: "GET /items/a?userId=3: request does not validate",
			stats: contract.Stats{Requests: 1, Answers: 1}},
		{name: "query value out of range", query: "?limit=11", want: "request does not validate",
			stats: contract.Stats{Requests: 1, Answers: 1}},
		{name: "missing key", hdr: map[string]string{"x-api-key": ""}, want: "API Key not found",
			stats: contract.Stats{Requests: 1, Answers: 1}},
		{name: "answer misses a required field", query: "?as=missing-id", want: "answer 200 does not validate",
			stats: contract.Stats{Requests: 1, Answers: 1}},
		{name: "answer has an undeclared field", query: "?as=undeclared", want: "'date'",
			stats: contract.Stats{Requests: 1, Answers: 1}},
		{name: "free-form property", query: "?as=free", stats: contract.Stats{Requests: 1, Answers: 1}},
		{name: "undocumented status", query: "?as=404", stats: contract.Stats{Requests: 1, Undocumented: 1}},
		{name: "marked fault", query: "?as=exempt", stats: contract.Stats{Requests: 1, Exempt: 1}},
		{name: "expected violation", query: "?userId=3", hdr: map[string]string{contract.ExpectViolation: "userId"},
			stats: contract.Stats{Requests: 1, Answers: 1}},
		{name: "expected violation that validates", hdr: map[string]string{contract.ExpectViolation: "x"},
			want: "but it validates", stats: contract.Stats{Requests: 1, Answers: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := contract.Load(t, doc, contract.FreeForm("extra"))
			s := &spy{TB: t}
			srv := httptest.NewServer(d.Handler(s, http.HandlerFunc(items)))
			defer srv.Close()
			get(t, srv.URL+"/items/a"+tc.query, tc.hdr)
			srv.Close()
			errs := s.got()
			if tc.want == "" {
				assert.Empty(t, errs)
			} else if assert.Len(t, errs, 1) {
				assert.Contains(t, errs[0], tc.want)
				assert.Contains(t, errs[0], "contract "+doc+": GET /items/a")
			}
			assert.Equal(t, tc.stats, d.Stats())
		})
	}
}

func TestHandlerPassesAnswersThrough(t *testing.T) {
	d := contract.Load(t, doc)
	s := &spy{TB: t}
	srv := httptest.NewServer(d.Handler(s, http.HandlerFunc(items)))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/items/x%2Fy", nil)
	req.Header.Set("x-api-key", "k")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.JSONEq(t, `{"id":"x/y","n":1}`, string(b))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	srv.Close()
	assert.Empty(t, s.got())
	r, a := d.Counts()
	assert.Equal(t, [2]int{1, 1}, [2]int{r, a})
}

func TestTransport(t *testing.T) {
	d := contract.Load(t, doc)
	srv := httptest.NewServer(http.HandlerFunc(items))
	defer srv.Close()
	s := &spy{TB: t}
	c := &http.Client{Transport: d.Transport(s, nil)}
	for _, q := range []string{"?limit=2", "?userId=1", "?as=missing-id", "?as=404"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/items/a"+q, nil)
		req.Header.Set("x-api-key", "k")
		resp, err := c.Do(req)
		require.NoError(t, err)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		resp.Body.Close()
		assert.NotEmpty(t, b, "the caller still gets the body")
	}
	errs := s.got()
	require.Len(t, errs, 2)
	assert.Contains(t, errs[0], "GET /items/a?userId=1: request does not validate")
	assert.Contains(t, errs[1], "GET /items/a?as=missing-id: answer 200 does not validate")
	assert.Equal(t, contract.Stats{Requests: 4, Answers: 3, Undocumented: 1}, d.Stats())
}

func TestLoadRefusesABadDocument(t *testing.T) {
	_, err := contract.Parse("testdata/nope.yaml")
	assert.Error(t, err)
	_, err = contract.Parse("contract.go")
	assert.Error(t, err)
}

// fakeM runs "tests" that start fakes through internal/fakeserver.
type fakeM func() int

func (f fakeM) Run() int { return f() }

func TestMainChecksEveryFake(t *testing.T) {
	docs := contract.Docs{"items": contract.File(doc)}
	var bound, unbound *spy
	code := contract.Main(fakeM(func() int {
		srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(items), Contract: "items"})
		defer srv.Close()
		// Bound to a test: the violation fails that test.
		bound = &spy{TB: t}
		func() {
			inner := &cleanupTB{spy: bound}
			contract.Bind(inner, srv.URL)
			get(t, srv.URL+"/items/a?userId=1", nil)
			inner.cleanup()
		}()
		// Faults: requests still checked, answers exempt.
		srv.FailNext(fakeserver.Fault{Kind: fakeserver.Status, Status: 500, Body: "<html>"})
		get(t, srv.URL+"/items/a", nil)
		return 0
	}), docs).Run()
	assert.Equal(t, 0, code)
	errs := bound.got()
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "userId")
	_ = unbound

	// Unbound violations fail the run.
	code = contract.Main(fakeM(func() int {
		srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(items), Contract: "items"})
		defer srv.Close()
		get(t, srv.URL+"/items/a?as=missing-id", nil)
		return 0
	}), docs).Run()
	assert.Equal(t, 1, code)

	// A fake without a document fails the run.
	code = contract.Main(fakeM(func() int {
		srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(items), Contract: "other"})
		srv.Close()
		return 0
	}), docs).Run()
	assert.Equal(t, 1, code)

	// After the run, fakes are no longer wrapped.
	srv := fakeserver.New(fakeserver.Config{Handler: http.HandlerFunc(items)})
	defer srv.Close()
	get(t, srv.URL+"/items/a?userId=1", nil)
}

// cleanupTB is a spy with its own Cleanup list, so that Bind can be undone
// inside one test.
type cleanupTB struct {
	*spy
	fns []func()
}

func (c *cleanupTB) Cleanup(f func()) { c.fns = append(c.fns, f) }

func (c *cleanupTB) cleanup() {
	for i := len(c.fns) - 1; i >= 0; i-- {
		c.fns[i]()
	}
}
