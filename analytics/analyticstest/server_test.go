package analyticstest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const path = "/v2/clients/" + analyticstest.ClientID + "/analytics/users/" + analyticstest.UserID + "/activity"

type answer struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, srv *analyticstest.Server, method, pathAndQuery, auth string) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+pathAndQuery, nil)
	require.NoError(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func newServer(t *testing.T, opts ...analyticstest.Option) *analyticstest.Server {
	t.Helper()
	srv := analyticstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

const bearer = "Bearer " + analyticstest.Token

func TestServesSeries(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	a := get(t, srv, http.MethodGet, path+"?granularity=daily&start_date=2026-01-02&end_date=2026-01-04&metric=activity-count", bearer)
	require.Equal(t, http.StatusOK, a.status, a.body)
	assert.Equal(t, "application/json", a.header.Get("Content-Type"))
	assert.Regexp(t, `^req-\d+$`, a.header.Get("X-Request-Id"))
	assert.JSONEq(t, `{"metric":"activity-count","label":"Total Activity","period":{"start":"2026-01-02","end":"2026-01-04"},
		"data":[{"date":"2026-01-02","value":40},{"date":"2026-01-03","value":0},{"date":"2026-01-04","value":0}]}`, a.body)
	assert.Equal(t, 40.0, analyticstest.DailyValue(analyticstest.ClientID, analyticstest.UserID, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)))
}

type series struct {
	Metric string `json:"metric"`
	Period struct{ Start, End string }
	Data   []struct {
		Date  string  `json:"date"`
		Value float64 `json:"value"`
	} `json:"data"`
}

func decode(t *testing.T, a answer) series {
	t.Helper()
	require.Equal(t, http.StatusOK, a.status, a.body)
	var s series
	require.NoError(t, json.Unmarshal([]byte(a.body), &s))
	return s
}

func dates(s series) []string {
	var out []string
	for _, p := range s.Data {
		out = append(out, p.Date)
	}
	return out
}

func TestGranularities(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	q := "&start_date=2026-01-28&end_date=2026-04-02&metric=activity-count"
	for _, tc := range []struct {
		g     string
		dates []string
	}{
		{"", nil}, // daily, checked below
		{"weekly", []string{"2026-01-28", "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23", "2026-03-02", "2026-03-09",
			"2026-03-16", "2026-03-23", "2026-03-30"}},
		{"monthly", []string{"2026-01-28", "2026-02-01", "2026-03-01", "2026-04-01"}},
		{"quarterly", []string{"2026-01-28", "2026-04-01"}},
	} {
		s := decode(t, get(t, srv, http.MethodGet, path+"?granularity="+tc.g+q, bearer))
		var total float64
		for _, p := range s.Data {
			total += p.Value
		}
		var want float64
		for d := time.Date(2026, 1, 28, 0, 0, 0, 0, time.UTC); !d.After(time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
			want += analyticstest.DailyValue(analyticstest.ClientID, analyticstest.UserID, d)
		}
		assert.Equal(t, want, total, tc.g)
		if tc.g == "" {
			assert.Len(t, s.Data, 65, "granularity omitted, as in the documentation's example: daily")
			continue
		}
		assert.Equal(t, tc.dates, dates(s), tc.g)
	}
}

func TestPeriodStartDates(t *testing.T) {
	t.Parallel()
	srv := newServer(t, analyticstest.WithPeriodStartDates())
	q := "&start_date=2026-01-28&end_date=2026-04-02&metric=activity-count"
	assert.Equal(t, []string{"2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"}, dates(decode(t, get(t, srv, http.MethodGet, path+"?granularity=monthly"+q, bearer))))
	assert.Equal(t, []string{"2026-01-01", "2026-04-01"}, dates(decode(t, get(t, srv, http.MethodGet, path+"?granularity=quarterly"+q, bearer))))
	w := dates(decode(t, get(t, srv, http.MethodGet, path+"?granularity=weekly"+q, bearer)))
	assert.Equal(t, "2026-01-26", w[0])
	assert.Equal(t, "2026-02-02", w[1])
}

func TestNinetyDayRule(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ok := get(t, srv, http.MethodGet, path+"?start_date=2026-01-01&end_date=2026-03-31&metric=activity-count", bearer)
	assert.Len(t, decode(t, ok).Data, 90, "90 dates, both ends included, are allowed")
	a := get(t, srv, http.MethodGet, path+"?start_date=2026-01-01&end_date=2026-04-01&metric=activity-count", bearer)
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.JSONEq(t, `{"error":{"code":"invalid_parameter","message":"Date range cannot exceed 90 days",
		"details":{"start_date":"2026-01-01","end_date":"2026-04-01"}}}`, a.body)
}

func TestBadRequests(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	good := map[string]string{"granularity": "daily", "start_date": "2026-01-01", "end_date": "2026-01-10", "metric": "activity-count"}
	query := func(change map[string]string, drop string) string {
		var parts []string
		for _, k := range []string{"granularity", "start_date", "end_date", "metric"} {
			v := good[k]
			if c, ok := change[k]; ok {
				v = c
			}
			if k != drop {
				parts = append(parts, k+"="+v)
			}
		}
		return "?" + strings.Join(parts, "&")
	}
	for _, tc := range []struct {
		name  string
		path  string
		query string
		want  string
	}{
		{"missing start", path, query(nil, "start_date"), `{"code":"invalid_parameter","message":"Missing required parameter: start_date","details":{"parameter":"start_date"}}`},
		{"missing end", path, query(nil, "end_date"), `{"code":"invalid_parameter","message":"Missing required parameter: end_date","details":{"parameter":"end_date"}}`},
		{"missing metric", path, query(nil, "metric"), `{"code":"invalid_parameter","message":"Missing required parameter: metric","details":{"parameter":"metric"}}`},
		{"bad start", path, query(map[string]string{"start_date": "2026-1-01"}, ""), `{"code":"invalid_parameter","message":"Invalid date format for start_date: expected YYYY-MM-DD","details":{"start_date":"2026-1-01"}}`},
		{"impossible end", path, query(map[string]string{"end_date": "2026-02-30"}, ""), `{"code":"invalid_parameter","message":"Invalid date format for end_date: expected YYYY-MM-DD","details":{"end_date":"2026-02-30"}}`},
		{"unknown metric", path, query(map[string]string{"metric": "clicks"}, ""), `{"code":"invalid_parameter","message":"Unknown metric: clicks","details":{"metric":"clicks"}}`},
		{"unknown granularity", path, query(map[string]string{"granularity": "hourly"}, ""), `{"code":"invalid_parameter","message":"Unknown granularity: hourly","details":{"granularity":"hourly"}}`},
		{"end before start", path, query(map[string]string{"end_date": "2025-12-31"}, ""), `{"code":"invalid_parameter","message":"start_date must not be after end_date","details":{"start_date":"2026-01-01","end_date":"2025-12-31"}}`},
		{"repeated", path, query(nil, "") + "&metric=activity-count", `{"code":"invalid_parameter","message":"Parameter metric given more than once","details":{"metric":"activity-count,activity-count"}}`},
		{"bad client id", "/v2/clients/not-a-uuid/analytics/users/" + analyticstest.UserID + "/activity", query(nil, ""), `{"code":"invalid_parameter","message":"client_id must be a UUID","details":{"client_id":"not-a-uuid"}}`},
		{"escaped slash in user id", "/v2/clients/" + analyticstest.ClientID + "/analytics/users/a%2Fb/activity", query(nil, ""), `{"code":"invalid_parameter","message":"user_id must be a UUID","details":{"user_id":"a/b"}}`},
	} {
		a := get(t, srv, http.MethodGet, tc.path+tc.query, bearer)
		assert.Equal(t, http.StatusBadRequest, a.status, tc.name)
		assert.JSONEq(t, `{"error":`+tc.want+`}`, a.body, tc.name)
	}
}

func TestAuthErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	q := "?start_date=2026-01-01&end_date=2026-01-02&metric=activity-count"
	for _, auth := range []string{"", "Bearer wrong", "Basic " + analyticstest.Token, analyticstest.Token, "Bearer "} {
		a := get(t, srv, http.MethodGet, path+q, auth)
		assert.Equal(t, http.StatusUnauthorized, a.status, auth)
		assert.JSONEq(t, `{"error":{"code":"unauthorized","message":"Authentication required","details":{}}}`, a.body, auth)
	}
	assert.Equal(t, http.StatusOK, get(t, srv, http.MethodGet, path+q, "bearer "+analyticstest.Token).status, "scheme is case-insensitive")
}

func TestNotFoundAndForbidden(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	q := "?start_date=2026-01-01&end_date=2026-01-02&metric=activity-count"
	const other = "11111111-2222-4333-8444-555555555555"
	for _, tc := range []struct {
		name, path string
		status     int
		want       string
	}{
		{"unknown client", "/v2/clients/" + other + "/analytics/users/" + analyticstest.UserID + "/activity", 404, `{"code":"not_found","message":"Client not found","details":{"client_id":"` + other + `"}}`},
		{"unknown user", "/v2/clients/" + analyticstest.ClientID + "/analytics/users/" + other + "/activity", 404, `{"code":"not_found","message":"User not found","details":{"user_id":"` + other + `"}}`},
		{"user of another client", "/v2/clients/" + analyticstest.ForbiddenClientID + "/analytics/users/" + analyticstest.UserID + "/activity", 403, `{"code":"forbidden","message":"Insufficient permissions for this client","details":{"client_id":"` + analyticstest.ForbiddenClientID + `"}}`},
		{"route", "/v2/clients/" + analyticstest.ClientID + "/analytics/users", 404, `{"code":"not_found","message":"No such endpoint","details":{"path":"/v2/clients/` + analyticstest.ClientID + `/analytics/users"}}`},
		{"dot segments are not cleaned", "/v2/clients/" + analyticstest.ClientID + "/analytics/users/x/../" + analyticstest.UserID + "/activity", 404, ""},
	} {
		a := get(t, srv, http.MethodGet, tc.path+q, bearer)
		assert.Equal(t, tc.status, a.status, tc.name)
		if tc.want != "" {
			assert.JSONEq(t, `{"error":`+tc.want+`}`, a.body, tc.name)
		}
	}
	a := get(t, srv, http.MethodPost, path+q, bearer)
	assert.Equal(t, http.StatusMethodNotAllowed, a.status)
	assert.Equal(t, "GET", a.header.Get("Allow"))
}

func TestRootPathAndUppercaseIDs(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	q := "?start_date=2026-01-01&end_date=2026-01-02&metric=activity-count"
	root := decode(t, get(t, srv, http.MethodGet, strings.TrimPrefix(path, analyticstest.BasePath)+q, bearer))
	upper := decode(t, get(t, srv, http.MethodGet, "/v2/clients/"+strings.ToUpper(analyticstest.ClientID)+"/analytics/users/"+strings.ToUpper(analyticstest.UserID)+"/activity"+q, bearer))
	assert.Equal(t, root, upper)
	assert.Equal(t, srv.URL+"/v2", srv.BaseURL())
}

func TestUsersAndTokensOptions(t *testing.T) {
	t.Parallel()
	const client, user = "c0ffee00-0000-4000-8000-000000000001", "c0ffee00-0000-4000-8000-000000000002"
	srv := newServer(t, analyticstest.WithUsers(3), analyticstest.WithUser(strings.ToUpper(client), user),
		analyticstest.WithToken("one"), analyticstest.WithToken("two"), nil)
	q := "?start_date=2026-01-01&end_date=2026-01-02&metric=activity-count"
	p := func(c, u string) string { return "/v2/clients/" + c + "/analytics/users/" + u + "/activity" + q }
	assert.Equal(t, 200, get(t, srv, http.MethodGet, p(client, user), "Bearer one").status)
	assert.Equal(t, 200, get(t, srv, http.MethodGet, p(analyticstest.ClientID, analyticstest.GeneratedUserID(2)), "Bearer two").status)
	assert.Equal(t, 404, get(t, srv, http.MethodGet, p(analyticstest.ClientID, analyticstest.GeneratedUserID(3)), "Bearer two").status)
	assert.Equal(t, 404, get(t, srv, http.MethodGet, p(client, analyticstest.GeneratedUserID(0)), "Bearer two").status, "generated users belong to ClientID")
	assert.Equal(t, 404, get(t, srv, http.MethodGet, p(analyticstest.ClientID, "00000000-0000-4000-8000-000000000000"), "Bearer two").status)
	assert.Equal(t, 401, get(t, srv, http.MethodGet, p(client, user), bearer).status, "WithToken replaces the default token")
	assert.Equal(t, "00000000-0000-4000-8000-0000000003e8", analyticstest.GeneratedUserID(999))
}

func TestDailyValue(t *testing.T) {
	t.Parallel()
	zeroWeekdays, seen := 0, map[float64]bool{}
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		v := analyticstest.DailyValue(analyticstest.ClientID, analyticstest.UserID, d)
		seen[v] = true
		switch {
		case d.Weekday() == time.Saturday || d.Weekday() == time.Sunday:
			assert.Zero(t, v, d)
		case v == 0:
			zeroWeekdays++
		default:
			assert.True(t, v >= 20 && v <= 80 && v == float64(int(v)), "%v: %v", d, v)
		}
	}
	assert.True(t, zeroWeekdays > 10 && zeroWeekdays < 50, "about one weekday in ten is inactive: %d", zeroWeekdays)
	assert.Greater(t, len(seen), 40, "values vary")
	day := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	late := time.Date(2026, 3, 3, 23, 59, 0, 0, time.FixedZone("UTC-8", -8*3600))
	assert.Equal(t, analyticstest.DailyValue(analyticstest.ClientID, analyticstest.UserID, day),
		analyticstest.DailyValue(strings.ToUpper(analyticstest.ClientID), strings.ToUpper(analyticstest.UserID), late),
		"the calendar date as given; ids case-insensitive")
	assert.NotEqual(t, dailyValues(analyticstest.UserID), dailyValues(analyticstest.SecondUserID))
}

func dailyValues(user string) []float64 {
	var out []float64
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Month() == time.January; d = d.AddDate(0, 0, 1) {
		out = append(out, analyticstest.DailyValue(analyticstest.ClientID, user, d))
	}
	return out
}

func TestFaults(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	q := "?start_date=2026-01-01&end_date=2026-01-02&metric=activity-count"
	srv.FailNext(analyticstest.Fault429, analyticstest.Fault{Kind: analyticstest.Status, Status: 500, Body: "<html>oops</html>"})
	a := get(t, srv, http.MethodGet, path+q, bearer)
	assert.Equal(t, http.StatusTooManyRequests, a.status)
	assert.Equal(t, "1", a.header.Get("Retry-After"))
	assert.JSONEq(t, `{"error":{"code":"injected_fault","message":"injected fault: Too Many Requests","details":{}}}`, a.body)
	a = get(t, srv, http.MethodGet, path+q, bearer)
	assert.Equal(t, 500, a.status)
	assert.Equal(t, "<html>oops</html>", a.body)
	assert.Equal(t, http.StatusOK, get(t, srv, http.MethodGet, path+q, bearer).status)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.NotNil(t, reqs[0].Fault)
	assert.Nil(t, reqs[2].Fault)
	assert.Len(t, analyticstest.AllFaults(time.Millisecond, time.Millisecond), 8)
	for _, k := range []analyticstest.Kind{analyticstest.Status, analyticstest.Drop, analyticstest.Truncate, analyticstest.Slow} {
		assert.NotEmpty(t, k.String())
	}
}
