package closetest

import (
	"encoding/json"
	"github.com/activitysdk/activity-go/internal/contract"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain holds every answer of the fake, and every request the tests
// send it (except those marked off-contract), to the provider's contract.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(contract.Main(m, contract.Docs{"close": contract.File("../testdata/close-reporting.openapi.yaml")}))
}

func do(t *testing.T, srv *Server, method, path, ctype, accept, body string, auth bool) (*http.Response, string) {
	t.Helper()
	return doOff(t, srv, method, path, ctype, accept, body, auth, "")
}

// doOff is do for a request that breaks the contract on purpose (to show
// the fake refuses it): off, when not empty, is sent as the contract
// harness's expect-violation header, a text the validator's message holds.
func doOff(t *testing.T, srv *Server, method, path, ctype, accept, body string, auth bool, off string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if off != "" {
		req.Header.Set(expectViolation, off)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if auth {
		req.SetBasicAuth(APIKey, "")
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

const report = "/api/v1/report/activity/"

// expectViolation is the contract harness's header (contract.ExpectViolation)
// for a request a test sends off-contract on purpose.
const expectViolation = contract.ExpectViolation

func TestRoutingAndErrors(t *testing.T) {
	t.Parallel()
	srv := NewServer()
	defer srv.Close()
	// off: the request breaks the contract on purpose; the text the
	// validator's message must hold.
	cases := []struct {
		method, path, ctype, body string
		auth                      bool
		status                    int
		want                      string
		off                       string
	}{
		{"POST", report, "application/json", `{}`, false, 401, `{"error":"invalid or missing credentials"}`, "Authorization"},
		{"GET", "/api/v1/report/activity/metrics/", "", "", true, 200, `"key":"calls.outbound.all.count"`, ""},
		{"GET", "/report/activity/metrics/", "", "", true, 200, `"key":"calls.outbound.all.count"`, ""}, // issue 18: served at the root too
		{"GET", "/api/report/activity/metrics/", "", "", true, 404, `{"error":"Not found."}`, "not found"},
		{"GET", "/api/v1/report/activity/metrics", "", "", true, 404, `slash`, ""},
		{"GET", report, "", "", true, 405, `{"error":"Method \"GET\" not allowed."}`, "GET"},
		{"POST", "/api/v1/report/activity%2Fmetrics/", "", "", true, 404, `Not found`, "not found"},
		{"POST", report, "text/plain", `{}`, true, 415, `Unsupported media type`, "text/plain"},
		{"POST", report, "application/json", `{`, true, 400, `Invalid JSON`, "decode"},
		{"POST", report, "application/json", `{}`, true, 400, `{"errors":["Specify either datetime_range or relative_range."],"field-errors":{"metrics":"This field is required.","type":"This field is required."}}`, "missing properties"},
		{"POST", report, "application/json", `{"type":"overview","metrics":["x.y"],"relative_range":"today"}`, true, 400, `"metrics":"Unknown metric: x.y"`, ""},
		{"POST", report, "application/json", `{"type":"funnel","metrics":["meetings.all.count"],"relative_range":"soon"}`, true, 400, `{"errors":[],"field-errors":{"relative_range":"\"soon\" is not a valid choice.","type":"\"funnel\" is not a valid choice."}}`, "value must be one of"},
		{"POST", report, "application/json", `{"type":"overview","metrics":["meetings.all.count"],"relative_range":"today","datetime_range":{"start":"a","end":"b"}}`, true, 400, `not both`, "oneOf"},
		{"POST", report, "application/json", `{"type":"overview","metrics":["meetings.all.count"],"datetime_range":{"start":"2026-01-02","end":"2026-01-03T00:00:00Z"}}`, true, 400, `"field-errors":{"datetime_range":{"start":"Invalid date-time."}}`, "does not match pattern"},
		{"POST", report, "application/json", `{"type":"overview","metrics":["meetings.all.count"],"datetime_range":{"start":"2026-01-03T00:00:00Z","end":"2026-01-02T00:00:00Z"}}`, true, 400, `start must be before end`, ""},
		{"POST", report, "application/json", `{"type":"overview","metrics":["meetings.all.count"],"datetime_range":5}`, true, 400, `Expected an object`, "want object"},
		{"POST", report, "application/json", `{"type":"overview","metrics":["meetings.all.count"],"relative_range":"today","query":{"type":"lead_query"}}`, true, 400, `"query":{"type":"Only saved_search queries are supported."}`, "saved_search"},
	}
	for _, tc := range cases {
		resp, body := doOff(t, srv, tc.method, tc.path, tc.ctype, "", tc.body, tc.auth, tc.off)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s %s: %d %s; want %d containing %s", tc.method, tc.path, tc.body, resp.StatusCode, body, tc.status, tc.want)
		}
	}
	// Bearer tokens work too; other schemes and wrong keys do not.
	for h, want := range map[string]int{"Bearer " + AccessToken: 200, "Bearer nope": 401, "Token " + AccessToken: 401, "": 401} {
		req, _ := http.NewRequest("GET", srv.URL+BasePath+"/report/activity/metrics/", nil)
		if h != "" {
			req.Header.Set("Authorization", h)
		}
		if !strings.HasPrefix(h, "Bearer ") { // no scheme the contract names
			req.Header.Set(expectViolation, "Authorization")
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Authorization %q: %d, want %d", h, resp.StatusCode, want)
		}
	}
}

type wireReport struct {
	Aggregations struct {
		Totals map[string]*float64 `json:"totals"`
	} `json:"aggregations"`
	Data []map[string]any `json:"data"`
}

func post(t *testing.T, srv *Server, body string) wireReport {
	t.Helper()
	resp, b := do(t, srv, "POST", report, "application/json", "", body, true)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var w wireReport
	if err := json.Unmarshal([]byte(b), &w); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestRelativeRangesAndBuckets(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithRateLimit(0, time.Second), WithAnchor(time.Date(2026, 5, 15, 23, 0, 0, 0, time.FixedZone("X", 3600))))
	defer srv.Close()
	// anchor is 2026-05-15 22:00 UTC, a Friday; activity from 2024-01-01.
	cases := map[string]struct {
		rows        int
		first, last string
	}{
		"today":        {1, "2026-05-15", "2026-05-15"},
		"yesterday":    {1, "2026-05-14", "2026-05-14"},
		"this-week":    {5, "2026-05-11", "2026-05-15"},
		"last-week":    {7, "2026-05-04", "2026-05-10"},
		"this-month":   {15, "2026-05-01", "2026-05-15"},
		"last-month":   {30, "2026-04-01", "2026-04-30"},
		"this-quarter": {45, "2026-04-01", "2026-05-15"},
		"last-quarter": {90, "2026-01-01", "2026-03-31"},
		"this-year":    {5, "2026-01-01", "2026-05-01"},
		"last-year":    {12, "2025-01-01", "2025-12-01"},
		"all-time":     {29, "2024-01-01", "2026-05-01"},
	}
	for rel, want := range cases {
		w := post(t, srv, `{"type":"overview","metrics":["meetings.all.count"],"relative_range":"`+rel+`"}`)
		if len(w.Data) != want.rows {
			t.Errorf("%s: %d rows, want %d", rel, len(w.Data), want.rows)
			continue
		}
		first, last := w.Data[0]["datetime"].(string), w.Data[len(w.Data)-1]["datetime"].(string)
		if first != want.first+"T00:00:00+00:00" || last != want.last+"T00:00:00+00:00" {
			t.Errorf("%s: %s .. %s, want %s .. %s", rel, first, last, want.first, want.last)
		}
		sum := 0.0
		for _, row := range w.Data {
			sum += row["meetings.all.count"].(float64)
		}
		if tot := w.Aggregations.Totals["meetings.all.count"]; tot == nil || *tot != sum {
			t.Errorf("%s: totals %v, rows sum %v", rel, tot, sum)
		}
	}
	// A range before the organization existed, or in the future, is empty.
	w := post(t, srv, `{"type":"overview","metrics":["calls.outbound.all.avg_duration"],"datetime_range":{"start":"2030-01-01T00:00:00Z","end":"2030-02-01T00:00:00Z"}}`)
	if len(w.Data) != 0 || w.Aggregations.Totals["calls.outbound.all.avg_duration"] != nil {
		t.Errorf("future range: %+v", w)
	}
	// Partial days: a range from 23:00 to 01:00 touches two UTC days.
	w = post(t, srv, `{"type":"overview","metrics":["meetings.all.count"],"datetime_range":{"start":"2026-05-03T23:00:00Z","end":"2026-05-04T01:00:00Z"}}`)
	if len(w.Data) != 2 {
		t.Errorf("partial days: %d rows, want 2", len(w.Data))
	}
}

func TestLimiterWindows(t *testing.T) {
	t.Parallel()
	l := newLimiter(2, time.Second)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	steps := []struct {
		key       string
		advance   time.Duration
		remaining int
		reset     time.Duration
		ok        bool
	}{
		{"a", 0, 1, time.Second, true},
		{"a", 100 * time.Millisecond, 0, 900 * time.Millisecond, true},
		{"a", 150 * time.Millisecond, 0, 750 * time.Millisecond, false},
		{"b", 0, 1, time.Second, true}, // per key
		{"a", 750 * time.Millisecond, 1, time.Second, true},
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		rem, reset, ok := l.take(s.key)
		if rem != s.remaining || reset != s.reset || ok != s.ok {
			t.Errorf("step %d: %d %s %v, want %d %s %v", i, rem, reset, ok, s.remaining, s.reset, s.ok)
		}
	}
}

func TestRateLimitAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		hints                 Hints
		retryAfter, rateLimit bool
		body                  string
	}{
		{AllHints, true, true, `"rate_reset":`},
		// Issue 13: without HintBody the 429 still has Close's JSON error
		// body (the contract describes no empty 429), only no rate_reset.
		{HintRateLimitHeader, false, true, `{"error":{"message":"API call count exceeded for this window"}}`},
		{HintBody, false, false, `"rate_limit_type":"key"`},
		{0, false, false, `{"error":{"message":"API call count exceeded for this window"}}`},
	} {
		srv := NewServer(WithRateLimit(1, time.Minute), WithRateLimitHints(tc.hints))
		resp, _ := do(t, srv, "GET", "/api/v1/report/activity/metrics/", "", "", "", true)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("RateLimit"), "limit=1, remaining=0, reset=") {
			t.Errorf("first: %d %q", resp.StatusCode, resp.Header.Get("RateLimit"))
		}
		resp, body := do(t, srv, "GET", "/api/v1/report/activity/metrics/", "", "", "", true)
		srv.Close()
		if resp.StatusCode != 429 || (resp.Header.Get("Retry-After") == "60") != tc.retryAfter ||
			(resp.Header.Get("RateLimit") != "") != tc.rateLimit || !strings.Contains(body, tc.body) ||
			strings.Contains(body, "rate_reset") != (tc.hints&HintBody != 0) {
			t.Errorf("hints %d: %d Retry-After %q RateLimit %q body %q", tc.hints, resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("RateLimit"), body)
		}
	}
}

func TestCSVAndUsers(t *testing.T) {
	t.Parallel()
	srv := NewServer(WithUsers(200), WithUsers(0))
	defer srv.Close()
	users := srv.Users()
	if len(users) != 200 || users[0].ID == users[1].ID || !strings.HasPrefix(users[0].ID, "user_") || len(users[0].ID) != 25 {
		t.Fatalf("users: %d, %q %q", len(users), users[0].ID, users[1].ID)
	}
	body := `{"type":"comparison","metrics":["calls.outbound.all.avg_duration","meetings.all.count"],"relative_range":"today","users":["` + users[5].ID + `","` + users[5].ID + `"]}`
	resp, csv := do(t, srv, "POST", report, "application/json; charset=utf-8", "application/json;q=0.5, text/csv", body, true)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("%d %s", resp.StatusCode, csv)
	}
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 2 || lines[0] != "user_id,user_name,calls.outbound.all.avg_duration,meetings.all.count" ||
		!strings.HasPrefix(lines[1], users[5].ID+","+users[5].Display()+",") {
		t.Errorf("CSV %q", lines)
	}
	if _, ok := srv.DayValue("calls.outbound.all.avg_duration", users[0].ID, srv.Anchor()); ok {
		t.Error("DayValue of an average")
	}
	if v, ok := srv.DayValue("meetings.all.count", users[0].ID, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); !ok || v != 0 {
		t.Error("DayValue before the organization existed")
	}
}
