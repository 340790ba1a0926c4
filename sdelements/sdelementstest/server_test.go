package sdelementstest

import (
	"encoding/json"
	"github.com/activitysdk/activity-go/internal/contract"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain holds every answer of the fake, and every request the tests
// send it (except those marked off-contract), to the provider's contract.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(contract.Main(m, contract.Docs{"sdelements": contract.File("../testdata/sdelements-activities.openapi.yaml")}))
}

// expectViolation is the contract harness's header (contract.ExpectViolation)
// for a request a test sends off-contract on purpose; its value is a text the
// validator's message holds.
const expectViolation = contract.ExpectViolation

// off is the header map of an off-contract request.
func off(text string) map[string]string { return map[string]string{expectViolation: text} }

type answer struct {
	status int
	header http.Header
	body   string
}

func call(t *testing.T, method, u string, header map[string]string) answer {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token "+Token)
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

type page struct {
	Count    int64             `json:"count"`
	Next     *string           `json:"next"`
	Previous *string           `json:"previous"`
	Results  []json.RawMessage `json:"results"`
}

func decodePage(t *testing.T, a answer) page {
	t.Helper()
	require.Equal(t, 200, a.status, a.body)
	var p page
	require.NoError(t, json.Unmarshal([]byte(a.body), &p))
	return p
}

func TestAuth(t *testing.T) {
	t.Parallel()
	srv := NewServer()
	defer srv.Close()
	u := srv.URL + "/api/v2/activities/"
	cases := map[string]string{
		"":                     "Authentication credentials were not provided.",
		"Bearer " + Token:      "Authentication credentials were not provided.",
		"Token":                "Invalid token header. No credentials provided.",
		"Token a b":            "Invalid token header. Token string should not contain spaces.",
		"Token wrong":          "Invalid token.",
		"Token " + Token + "x": "Invalid token.",
	}
	for h, detail := range cases {
		hdr := map[string]string{"Authorization": h}
		if h == "" {
			hdr[expectViolation] = "API Key"
		}
		a := call(t, "GET", u, hdr)
		assert.Equal(t, 401, a.status, h)
		assert.JSONEq(t, `{"detail":"`+detail+`"}`, a.body, h)
		assert.Equal(t, "Token", a.header.Get("WWW-Authenticate"))
	}
	assert.Equal(t, 200, call(t, "GET", u, map[string]string{"Authorization": "token " + Token}).status)

	html := NewServer(WithHTMLUnauthorized(), WithToken("other-token"))
	defer html.Close()
	a := call(t, "GET", html.URL+"/api/v2/activities/1/", nil)
	assert.Equal(t, 401, a.status)
	assert.True(t, strings.HasPrefix(a.header.Get("Content-Type"), "text/html"))
	assert.Contains(t, a.body, "<title>401 Unauthorized</title>")
	assert.Equal(t, 200, call(t, "GET", html.URL+"/api/v2/activities/1/", map[string]string{"Authorization": "Token other-token"}).status)
}

func TestRoutingAndMethods(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithActivities(10))
	defer srv.Close()
	cases := []struct {
		method, path string
		header       map[string]string
		status       int
		body         string
	}{
		{"GET", "/api/v2/activities/3/", nil, 200, ""},
		{"GET", "/api/v2/activities/11/", nil, 404, `{"detail":"Not found."}`},
		{"GET", "/api/v2/activities/0/", off("minimum"), 404, `{"detail":"Not found."}`},
		{"GET", "/api/v2/activities/abc/", off("not a valid integer"), 404, `{"detail":"Not found."}`},
		{"GET", "/api/v2/activities/3%2F4/", off("not a valid integer"), 404, `{"detail":"Not found."}`},
		{"GET", "/api/v2/activities/3/extra/", off("not found"), 404, `{"detail":"Not found."}`},
		{"GET", "/api/v2/projects/", off("not found"), 404, `{"detail":"Not found."}`},
		{"POST", "/api/v2/activities/", off("POST"), 405, `{"detail":"Method \"POST\" not allowed."}`},
		{"DELETE", "/api/v2/activities/3/", off("DELETE"), 405, `{"detail":"Method \"DELETE\" not allowed."}`},
		{"GET", "/api/v2/activities/", map[string]string{"Accept": "text/html"}, 406, `{"detail":"Could not satisfy the request Accept header."}`},
		{"GET", "/api/v2/activities/", map[string]string{"Accept": "text/html, application/json;q=0.9"}, 200, ""},
		{"GET", "/api/v2/activities/", map[string]string{"Accept": "*/*"}, 200, ""},
		{"GET", "/api/v2/activities/", map[string]string{"Accept": ""}, 200, ""},
		{"GET", "/api/v2/activities/", map[string]string{"Authorization": "", expectViolation: "API Key"}, 401, `{"detail":"Authentication credentials were not provided."}`},
	}
	for _, tc := range cases {
		a := call(t, tc.method, srv.URL+tc.path, tc.header)
		assert.Equal(t, tc.status, a.status, "%s %s", tc.method, tc.path)
		if tc.body != "" {
			assert.JSONEq(t, tc.body, a.body, "%s %s", tc.method, tc.path)
		}
	}
	a := call(t, "GET", srv.URL+"/api/v2/activities?page_size=2", nil)
	assert.Equal(t, 301, a.status)
	assert.Equal(t, "/api/v2/activities/?page_size=2", a.header.Get("Location"))
	a = call(t, "GET", srv.URL+"/api/v2/activities/4", nil)
	assert.Equal(t, 301, a.status)
	assert.Equal(t, "/api/v2/activities/4/", a.header.Get("Location"))
}

func TestPagingLinks(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithActivities(7))
	defer srv.Close()
	base := srv.URL + "/api/v2/activities/"
	p1 := decodePage(t, call(t, "GET", base+"?page_size=3&name=", nil))
	assert.Equal(t, int64(7), p1.Count)
	require.NotNil(t, p1.Next)
	assert.Equal(t, base+"?name=&page=2&page_size=3", *p1.Next)
	assert.Nil(t, p1.Previous)
	assert.Len(t, p1.Results, 3)

	p2 := decodePage(t, call(t, "GET", *p1.Next, nil))
	require.NotNil(t, p2.Previous)
	assert.Equal(t, base+"?name=&page_size=3", *p2.Previous, "page 1 has no page parameter")
	p3 := decodePage(t, call(t, "GET", *p2.Next, nil))
	assert.Nil(t, p3.Next)
	assert.Equal(t, base+"?name=&page=2&page_size=3", *p3.Previous)
	assert.Len(t, p3.Results, 1)

	for q, h := range map[string]map[string]string{"page=4&page_size=3": nil, "page=0": off("minimum"),
		"page=x": off("not a valid integer"), "page=-1": off("minimum")} {
		a := call(t, "GET", base+"?"+q, h)
		assert.Equal(t, 404, a.status, q)
		assert.JSONEq(t, `{"detail":"Invalid page."}`, a.body, q)
	}
	// Empty list: page 1 exists and is empty.
	empty := decodePage(t, call(t, "GET", base+"?name=Nope", nil))
	assert.Equal(t, int64(0), empty.Count)
	assert.Empty(t, empty.Results)
	assert.Nil(t, empty.Next)

	foreign := NewServer(WithActivities(7), WithLinkBase("https://elsewhere.example/"))
	defer foreign.Close()
	f := decodePage(t, call(t, "GET", foreign.URL+"/api/v2/activities/?page_size=3", nil))
	assert.Equal(t, "https://elsewhere.example/api/v2/activities/?page=2&page_size=3", *f.Next)
}

func TestPageSizes(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithActivities(3000))
	defer srv.Close()
	base := srv.URL + "/api/v2/activities/"
	for q, want := range map[string]int{"": DefaultPageSize, "page_size=0": DefaultPageSize, "page_size=x": DefaultPageSize,
		"page_size=-3": DefaultPageSize, "page_size=7": 7, "page_size=1000": 1000,
		// Issue 13: no invented cap; 10000 (as the vendor's tooling asks) is served in full.
		"page_size=5000": 3000, "page_size=10000": 3000} {
		var h map[string]string
		switch q {
		case "page_size=0", "page_size=-3":
			h = off("minimum")
		case "page_size=x":
			h = off("not a valid integer")
		}
		p := decodePage(t, call(t, "GET", base+"?"+q, h))
		assert.Len(t, p.Results, want, q)
	}
	small := NewServer(WithActivities(100), WithPageSizes(10, 20))
	defer small.Close()
	assert.Len(t, decodePage(t, call(t, "GET", small.URL+"/api/v2/activities/", nil)).Results, 10)
	assert.Len(t, decodePage(t, call(t, "GET", small.URL+"/api/v2/activities/?page_size=50", nil)).Results, 20)
	p := decodePage(t, call(t, "GET", base+"?page_size=2500", nil))
	assert.Len(t, p.Results, 2500)
	require.NotNil(t, p.Next)
	assert.Equal(t, base+"?page=2&page_size=2500", *p.Next)
}

// TestShape: exclude, expand and include as the fake documents them, kept
// in next links; malformed names are DRF field errors.
func TestShape(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithActivities(30))
	defer srv.Close()
	base := srv.URL + "/api/v2/activities/"
	a := call(t, "GET", base+"?page_size=2&exclude=data,icon&expand=actor&include=actor_email", nil)
	require.Equal(t, 200, a.status, a.body)
	var page struct {
		Next    string                       `json:"next"`
		Results []map[string]json.RawMessage `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(a.body), &page))
	assert.Equal(t, base+"?exclude=data%2Cicon&expand=actor&include=actor_email&page=2&page_size=2", page.Next)
	require.Len(t, page.Results, 2)
	for _, r := range page.Results {
		assert.NotContains(t, r, "data")
		assert.NotContains(t, r, "icon")
		assert.Contains(t, r, "log_level")
		var id int64
		require.NoError(t, json.Unmarshal(r["id"], &id))
		want, _ := srv.Activity(id)
		if want.Actor == nil {
			assert.JSONEq(t, "null", string(r["actor"]))
			continue
		}
		var actor struct {
			ID        int64  `json:"id"`
			Email     string `json:"email"`
			FirstName string `json:"first_name"`
		}
		require.NoError(t, json.Unmarshal(r["actor"], &actor))
		assert.Equal(t, *want.Actor, actor.ID)
		assert.NotEmpty(t, actor.FirstName)
		assert.NotEmpty(t, actor.Email)
		assert.NotContains(t, r, "actor_email", "include adds no field the docs do not name")
	}
	g := call(t, "GET", base+"5/?exclude=text", nil)
	require.Equal(t, 200, g.status)
	assert.NotContains(t, g.body, `"text"`)
	bad := call(t, "GET", base+"?expand=a%20b&include=", off("does not match pattern"))
	require.Equal(t, 400, bad.status)
	assert.JSONEq(t, `{"expand": ["Invalid field name: \"a b\"."], "include": ["Invalid field name: \"\"."]}`, bad.body)
}

func TestBareResults(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithActivities(30), WithBareResults())
	defer srv.Close()
	a := call(t, "GET", srv.URL+"/api/v2/activities/?page_size=10", nil)
	require.Equal(t, 200, a.status)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(a.body), &m))
	assert.Len(t, m, 1)
	var items []map[string]any
	require.NoError(t, json.Unmarshal(m["results"], &items))
	assert.Len(t, items, 10)
}

func TestFilterErrors(t *testing.T) {
	t.Parallel()
	srv := NewServer()
	defer srv.Close()
	a := call(t, "GET", srv.URL+"/api/v2/activities/?actor=x&project=1.5&date_from=2020-13-01&date_to=soon&user=", off("not a valid integer"))
	assert.Equal(t, 400, a.status)
	assert.JSONEq(t, `{"actor":["Enter a number."],"project":["Enter a number."],
		"date_from":["Enter a valid date/time."],"date_to":["Enter a valid date/time."]}`, a.body)
}

func TestDatesAndServerLocalTime(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithActivities(1000))
	defer srv.Close()
	base := srv.URL + "/api/v2/activities/?page_size=1000&"
	count := func(q url.Values) int64 { return decodePage(t, call(t, "GET", base+q.Encode(), nil)).Count }

	d := srv.Date(500)
	assert.Equal(t, int64(501), count(url.Values{"date_from": {d.Format(time.RFC3339Nano)}}))
	assert.Equal(t, int64(500), count(url.Values{"date_to": {d.Format(time.RFC3339Nano)}}))
	assert.Equal(t, int64(500), count(url.Values{"date_to": {d.Format("2006-01-02T15:04:05.999999+00:00")}}))
	assert.Equal(t, int64(499), count(url.Values{"date_to": {d.Add(-time.Microsecond).Format(time.RFC3339Nano)}}))
	assert.Equal(t, int64(1), count(url.Values{"date_from": {d.Format(time.RFC3339Nano)}, "date_to": {d.Format(time.RFC3339Nano)}}))

	// Without a zone the server reads its local time (UTC-5 by default): the
	// same wall clock means five hours later, 300 activities fewer.
	naive := d.Format("2006-01-02T15:04:05.999999")
	var want int64
	for id := int64(1); id <= 1000; id++ {
		if !srv.Date(id).Before(d.Add(5 * time.Hour)) {
			want++
		}
	}
	assert.InDelta(t, 501-300, want, 1)
	assert.Equal(t, want, count(url.Values{"date_from": {naive}}))

	utc := NewServer(WithActivities(1000), WithServerLocation(time.UTC), WithEpoch(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)))
	defer utc.Close()
	a := decodePage(t, call(t, "GET", utc.URL+"/api/v2/activities/?page_size=1000&date_from=2024-01-01T10:00", nil))
	assert.Equal(t, int64(1000-600), a.Count)
	assert.Equal(t, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), utc.Date(1).Truncate(time.Minute))
	a = decodePage(t, call(t, "GET", utc.URL+"/api/v2/activities/?page_size=1000&date_to=2024-01-01", nil))
	assert.Equal(t, int64(0), a.Count, "a date alone is midnight")
}

func TestDeterministicData(t *testing.T) {
	t.Parallel()
	a := NewServer(WithActivities(100))
	defer a.Close()
	b := NewServer(WithActivities(100))
	defer b.Close()
	assert.Equal(t, call(t, "GET", a.URL+"/api/v2/activities/?page_size=100", nil).body,
		strings.ReplaceAll(call(t, "GET", b.URL+"/api/v2/activities/?page_size=100", nil).body, b.URL, a.URL))
	prev := a.Date(1)
	for id := int64(2); id <= 5000; id++ {
		d := a.Date(id)
		require.True(t, d.After(prev), id)
		require.Equal(t, d, d.Truncate(time.Microsecond))
		prev = d
	}
	act, ok := a.Activity(1)
	require.True(t, ok)
	assert.Equal(t, int64(1), act.ID)
	_, ok = a.Activity(101)
	assert.False(t, ok)
	_, ok = a.Activity(0)
	assert.False(t, ok)
	assert.Equal(t, int64(100), a.Len())
	// Odd ids are served with "Z", even ids with "+00:00".
	body := call(t, "GET", a.URL+"/api/v2/activities/?page_size=2", nil).body
	assert.Contains(t, body, `"id":100,"name"`)
	assert.Regexp(t, `"id":100,[^}]*"date":"[0-9T:.-]+\+00:00"`, body)
	assert.Regexp(t, `"id":99,[^}]*"date":"[0-9T:.-]+Z"`, body)
}

func TestPathPrefix(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithActivities(3), WithPathPrefix("/sde/"))
	defer srv.Close()
	assert.Equal(t, 200, call(t, "GET", srv.URL+"/sde/api/v2/activities/", nil).status)
	assert.Equal(t, 404, call(t, "GET", srv.URL+"/api/v2/activities/", nil).status)
	assert.Equal(t, 404, call(t, "GET", srv.URL+"/", off("not found")).status)
}

func TestFaultsInDRFShape(t *testing.T) {
	t.Parallel()
	srv := NewServer()
	defer srv.Close()
	srv.FailNext(Fault429)
	a := call(t, "GET", srv.URL+"/api/v2/activities/", nil)
	assert.Equal(t, 429, a.status)
	assert.Equal(t, "1", a.header.Get("Retry-After"))
	assert.JSONEq(t, `{"detail":"injected fault: Too Many Requests"}`, a.body)
	assert.Len(t, AllFaults(time.Second, time.Millisecond), 8)
}

func TestLargeWalkIsCheap(t *testing.T) {
	if testing.Short() {
		t.Skip("large walk")
	}
	t.Parallel()
	srv := NewServer(WithActivities(1_000_000))
	defer srv.Close()
	start := time.Now()
	// The last pages of an unfiltered and a filtered million-record list.
	p := decodePage(t, call(t, "GET", srv.URL+"/api/v2/activities/?page_size=1000&page=1000", nil))
	assert.Len(t, p.Results, 1000)
	assert.Nil(t, p.Next)
	f := decodePage(t, call(t, "GET", srv.URL+"/api/v2/activities/?page_size=1000&project=3", nil))
	assert.Greater(t, f.Count, int64(5_000))
	f2 := decodePage(t, call(t, "GET", srv.URL+"/api/v2/activities/?page_size=1000&project=3&page=2", nil))
	assert.Len(t, f2.Results, 1000)
	// The filtered list is scanned once and cached for the following pages.
	srv.mu.Lock()
	assert.Len(t, srv.cache, 1)
	srv.mu.Unlock()
	t.Logf("three pages of a million-activity fake in %s", time.Since(start))
}

func TestEncodingMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	one := int64(1)
	for _, s := range []string{"plain", `quote " and \ back`, "<tag>&", "tab\there", "été ✓", ""} {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(appendString(nil, s)))
		a := Activity{ID: 3, Name: s, Actor: &one, Text: s, Date: DefaultEpoch, Icon: s, LogLevel: s,
			Data: map[string]any{"b": s, "a": int64(5), "c": []int{1}}}
		b, err := json.Marshal(a)
		require.NoError(t, err)
		var back map[string]any
		require.NoError(t, json.Unmarshal(b, &back), string(b))
		assert.Equal(t, s, back["name"])
		assert.Equal(t, map[string]any{"a": float64(5), "b": s, "c": []any{float64(1)}}, back["data"])
		assert.Equal(t, "2016-03-30T15:14:46.634929Z", back["date"])
	}
}
