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
	"github.com/activitysdk/activity-go/internal/contract"
)

// TestMain holds every answer the fake gives in these tests (and every
// request they send, but for those marked contract.ExpectViolation) to the
// analytics OpenAPI description.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(contract.Main(m, contract.Docs{
		"analytics": contract.File("../testdata/analytics.openapi.yaml"),
	}))
}

const path = "/v2/clients/" + analyticstest.ClientID + "/analytics/users/" + analyticstest.UserID + "/activity"

type answer struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, srv *analyticstest.Server, method, pathAndQuery, auth string) answer {
	t.Helper()
	return send(t, srv, method, pathAndQuery, auth, false)
}

// getBad sends a request that breaks the contract on purpose (to show how
// the fake refuses it): the contract harness checks that it indeed does not
// validate.
func getBad(t *testing.T, srv *analyticstest.Server, method, pathAndQuery, auth string) answer {
	t.Helper()
	return send(t, srv, method, pathAndQuery, auth, true)
}

func send(t *testing.T, srv *analyticstest.Server, method, pathAndQuery, auth string, offContract bool) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+pathAndQuery, nil)
	require.NoError(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if offContract {
		req.Header.Set(contract.ExpectViolation, "")
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
	contract.Bind(t, srv.URL)
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
		var a answer
		if tc.g == "" {
			// The documentation's example request leaves granularity out,
			// though its table marks it required (the contract does).
			a = getBad(t, srv, http.MethodGet, path+"?"+q[1:], bearer)
		} else {
			a = get(t, srv, http.MethodGet, path+"?granularity="+tc.g+q, bearer)
		}
		s := decode(t, a)
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
	ok := get(t, srv, http.MethodGet, path+"?granularity=daily&start_date=2026-01-01&end_date=2026-03-31&metric=activity-count", bearer)
	assert.Len(t, decode(t, ok).Data, 90, "90 dates, both ends included, are allowed")
	a := get(t, srv, http.MethodGet, path+"?granularity=daily&start_date=2026-01-01&end_date=2026-04-01&metric=activity-count", bearer)
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
		// bad: the request breaks the contract too (not only the fake's
		// rules), so the harness must refuse it.
		bad bool
	}{
		{"missing start", path, query(nil, "start_date"), `{"code":"invalid_parameter","message":"Missing required parameter: start_date","details":{"parameter":"start_date"}}`, true},
		{"missing end", path, query(nil, "end_date"), `{"code":"invalid_parameter","message":"Missing required parameter: end_date","details":{"parameter":"end_date"}}`, true},
		{"missing metric", path, query(nil, "metric"), `{"code":"invalid_parameter","message":"Missing required parameter: metric","details":{"parameter":"metric"}}`, true},
		{"bad start", path, query(map[string]string{"start_date": "2026-1-01"}, ""), `{"code":"invalid_parameter","message":"Invalid date format for start_date: expected YYYY-MM-DD","details":{"start_date":"2026-1-01"}}`, true},
		{"impossible end", path, query(map[string]string{"end_date": "2026-02-30"}, ""), `{"code":"invalid_parameter","message":"Invalid date format for end_date: expected YYYY-MM-DD","details":{"end_date":"2026-02-30"}}`, false},
		{"unknown metric", path, query(map[string]string{"metric": "clicks"}, ""), `{"code":"invalid_parameter","message":"Unknown metric: clicks","details":{"metric":"clicks"}}`, false},
		{"unknown granularity", path, query(map[string]string{"granularity": "hourly"}, ""), `{"code":"invalid_parameter","message":"Unknown granularity: hourly","details":{"granularity":"hourly"}}`, true},
		{"end before start", path, query(map[string]string{"end_date": "2025-12-31"}, ""), `{"code":"invalid_parameter","message":"start_date must not be after end_date","details":{"start_date":"2026-01-01","end_date":"2025-12-31"}}`, false},
		{"repeated", path, query(nil, "") + "&metric=activity-count", `{"code":"invalid_parameter","message":"Parameter metric given more than once","details":{"metric":"activity-count,activity-count"}}`, false},
		{"bad client id", "/v2/clients/not-a-uuid/analytics/users/" + analyticstest.UserID + "/activity", query(nil, ""), `{"code":"invalid_parameter","message":"client_id must be a UUID","details":{"client_id":"not-a-uuid"}}`, true},
		{"escaped slash in user id", "/v2/clients/" + analyticstest.ClientID + "/analytics/users/a%2Fb/activity", query(nil, ""), `{"code":"invalid_parameter","message":"user_id must be a UUID","details":{"user_id":"a/b"}}`, true},
	} {
		a := send(t, srv, http.MethodGet, tc.path+tc.query, bearer, tc.bad)
		assert.Equal(t, http.StatusBadRequest, a.status, tc.name)
		assert.JSONEq(t, `{"error":`+tc.want+`}`, a.body, tc.name)
	}
}

func TestAuthErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	q := "?granularity=daily&start_date=2026-01-01&end_date=2026-01-02&metric=activity-count"
	for _, tc := range []struct {
		auth string
		bad  bool // the contract's bearer scheme is broken, not only the token
	}{{"", true}, {"Bearer wrong", false}, {"Basic " + analyticstest.Token, true}, {analyticstest.Token, true}, {"Bearer ", false}} {
		auth := tc.auth
		a := send(t, srv, http.MethodGet, path+q, auth, tc.bad)
		assert.Equal(t, http.StatusUnauthorized, a.status, auth)
		assert.JSONEq(t, `{"error":{"code":"unauthorized","message":"Authentication required","details":{}}}`, a.body, auth)
	}
	assert.Equal(t, http.StatusOK, get(t, srv, http.MethodGet, path+q, "bearer "+analyticstest.Token).status, "scheme is case-insensitive")
}

func TestNotFoundAndForbidden(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	q := "?granularity=daily&start_date=2026-01-01&end_date=2026-01-02&metric=activity-count"
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
		a := send(t, srv, http.MethodGet, tc.path+q, bearer, tc.status == 404 && !strings.HasSuffix(tc.path, "/activity") || strings.Contains(tc.path, ".."))
		assert.Equal(t, tc.status, a.status, tc.name)
		if tc.want != "" {
			assert.JSONEq(t, `{"error":`+tc.want+`}`, a.body, tc.name)
		}
	}
	a := getBad(t, srv, http.MethodPost, path+q, bearer)
	assert.Equal(t, http.StatusMethodNotAllowed, a.status)
	assert.Equal(t, "GET", a.header.Get("Allow"))
}

func TestRootPathAndUppercaseIDs(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	q := "?granularity=daily&start_date=2026-01-01&end_date=2026-01-02&metric=activity-count"
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
	q := "?granularity=daily&start_date=2026-01-01&end_date=2026-01-02&metric=activity-count"
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
	q := "?granularity=daily&start_date=2026-01-01&end_date=2026-01-02&metric=activity-count"
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

const utilPath = "/v2/clients/" + analyticstest.ClientID + "/analytics/apps/utilization"

func TestDeviceAndAppSeries(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	q := "?granularity=daily&start_date=2026-03-02&end_date=2026-03-03&metric="
	dev := decode(t, get(t, srv, http.MethodGet, "/v2/clients/"+analyticstest.ClientID+"/analytics/devices/"+analyticstest.DeviceID+"/activity"+q+"user-count", bearer))
	assert.Equal(t, "user-count", dev.Metric)
	for _, p := range dev.Data {
		d, _ := time.Parse(time.DateOnly, p.Date)
		assert.Equal(t, analyticstest.DeviceValue(analyticstest.ClientID, analyticstest.DeviceID, "user-count", d), p.Value)
	}
	app := decode(t, get(t, srv, http.MethodGet, "/v2/clients/"+analyticstest.ClientID+"/analytics/apps/"+analyticstest.AppID+"/activity"+q+"active-time", bearer))
	assert.Equal(t, "active-time", app.Metric)
	require.Len(t, app.Data, 2)
	// No 90-day rule for devices and apps.
	long := get(t, srv, http.MethodGet, "/v2/clients/"+analyticstest.ClientID+"/analytics/apps/"+analyticstest.AppID+"/activity?granularity=daily&start_date=2025-01-01&end_date=2026-12-31&metric=session-count", bearer)
	assert.Len(t, decode(t, long).Data, 730)
	a := get(t, srv, http.MethodGet, "/v2/clients/"+analyticstest.ClientID+"/analytics/apps/"+analyticstest.AppID+"/activity"+q+"activity-count", bearer)
	assert.Equal(t, 400, a.status)
	assert.JSONEq(t, `{"error":{"code":"invalid_parameter","message":"Unknown metric: activity-count","details":{"metric":"activity-count"}}}`, a.body)
	a = get(t, srv, http.MethodGet, "/v2/clients/"+analyticstest.ClientID+"/analytics/devices/"+analyticstest.UserID+"/activity"+q+"user-count", bearer)
	assert.Equal(t, 404, a.status)
	assert.JSONEq(t, `{"error":{"code":"not_found","message":"Device not found","details":{"device_id":"`+analyticstest.UserID+`"}}}`, a.body)
	a = get(t, srv, http.MethodGet, "/v2/clients/"+analyticstest.ClientID+"/analytics/apps/"+analyticstest.GeneratedAppID(analyticstest.DefaultApps)+"/activity"+q+"user-count", bearer)
	assert.Equal(t, 404, a.status)
	a = getBad(t, srv, http.MethodGet, "/v2/clients/"+analyticstest.ClientID+"/analytics/apps/x/activity"+q+"user-count", bearer)
	assert.JSONEq(t, `{"error":{"code":"invalid_parameter","message":"app_id must be a UUID","details":{"app_id":"x"}}}`, a.body)
}

type utilPage struct {
	Data []struct {
		App struct {
			ID string `json:"id"`
		} `json:"app"`
	} `json:"data"`
	TotalCount int     `json:"total_count"`
	NextCursor *string `json:"next_cursor"`
}

func TestUtilizationCursorPaging(t *testing.T) {
	t.Parallel()
	srv := newServer(t, analyticstest.WithApps(30))
	q := "?granularity=daily&start_date=2026-01-01&end_date=2026-03-31&page_size="
	var all utilPage
	a := get(t, srv, http.MethodGet, utilPath+q+"200", bearer)
	require.Equal(t, 200, a.status, a.body)
	require.NoError(t, json.Unmarshal([]byte(a.body), &all))
	assert.Nil(t, all.NextCursor, "the last page's next_cursor is null")
	assert.Equal(t, len(all.Data), all.TotalCount)
	var ids []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 30)
		a := get(t, srv, http.MethodGet, utilPath+q+"4"+cursor, bearer)
		require.Equal(t, 200, a.status, a.body)
		var p utilPage
		require.NoError(t, json.Unmarshal([]byte(a.body), &p))
		assert.Equal(t, all.TotalCount, p.TotalCount)
		for _, r := range p.Data {
			ids = append(ids, r.App.ID)
		}
		if p.NextCursor == nil {
			break
		}
		cursor = "&cursor=" + *p.NextCursor
	}
	var want []string
	for _, r := range all.Data {
		want = append(want, r.App.ID)
	}
	assert.Equal(t, want, ids)
	a = get(t, srv, http.MethodGet, utilPath+"?granularity=daily&start_date=2026-01-01&end_date=2026-03-31", bearer)
	var def utilPage
	require.NoError(t, json.Unmarshal([]byte(a.body), &def))
	assert.Len(t, def.Data, min(50, all.TotalCount), "page_size defaults to 50")
}

func TestUtilizationErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	const base = "granularity=daily&start_date=2026-01-01&end_date=2026-01-31"
	for _, tc := range []struct {
		name, path, query, want string
		bad                     bool // off-contract too (the contract cannot say both-or-neither)
	}{
		{"compare start only", utilPath, base + "&compare_start_date=2025-12-01", `{"code":"invalid_parameter","message":"compare_start_date and compare_end_date must be given together","details":{"compare_start_date":"2025-12-01","compare_end_date":""}}`, false},
		{"compare end only (summary)", utilPath + "/summary", base + "&compare_end_date=2025-12-31", `{"code":"invalid_parameter","message":"compare_start_date and compare_end_date must be given together","details":{"compare_start_date":"","compare_end_date":"2025-12-31"}}`, false},
		{"missing granularity", utilPath + "/rankings", "start_date=2026-01-01&end_date=2026-01-31", `{"code":"invalid_parameter","message":"Missing required parameter: granularity","details":{"parameter":"granularity"}}`, true},
		{"page size", utilPath, base + "&page_size=201", `{"code":"invalid_parameter","message":"page_size must be between 1 and 200","details":{"page_size":"201"}}`, true},
		{"cursor", utilPath, base + "&cursor=nope", `{"code":"invalid_parameter","message":"Invalid cursor","details":{"cursor":"nope"}}`, false},
		{"ids", utilPath, base + "&category_ids=" + analyticstest.CategoryID(0) + ",x", `{"code":"invalid_parameter","message":"category_ids must be a comma-separated list of UUIDs","details":{"category_ids":"` + analyticstest.CategoryID(0) + `,x"}}`, true},
		{"bool", utilPath + "/summary", base + "&is_approved=yes", `{"code":"invalid_parameter","message":"is_approved must be true or false","details":{"is_approved":"yes"}}`, true},
		{"filter", utilPath, base + "&filter=new", `{"code":"invalid_parameter","message":"Unknown filter: new","details":{"filter":"new"}}`, true},
	} {
		a := send(t, srv, http.MethodGet, tc.path+"?"+tc.query, bearer, tc.bad)
		assert.Equal(t, http.StatusBadRequest, a.status, tc.name)
		assert.JSONEq(t, `{"error":`+tc.want+`}`, a.body, tc.name)
	}
	// Endpoints the provider marks "approved, not implemented yet" are 404.
	for _, p := range []string{"/timeseries", "/users", "/categories", "/departments"} {
		a := getBad(t, srv, http.MethodGet, utilPath+p+"?"+base, bearer)
		assert.Equal(t, http.StatusNotFound, a.status, p)
	}
	a := getBad(t, srv, http.MethodGet, "/v2/clients/"+analyticstest.ClientID+"/analytics/apps/"+analyticstest.AppID+"/utilization?"+base, bearer)
	assert.Equal(t, http.StatusNotFound, a.status)
	a = get(t, srv, http.MethodGet, "/v2/clients/"+analyticstest.ForbiddenClientID+"/analytics/apps/utilization/summary?"+base, bearer)
	assert.Equal(t, http.StatusForbidden, a.status)
	a = get(t, srv, http.MethodGet, utilPath+"?"+base, "Bearer nope")
	assert.Equal(t, http.StatusUnauthorized, a.status)
}

func TestUtilizationSummaryAndRankingsShapes(t *testing.T) {
	t.Parallel()
	srv := newServer(t, analyticstest.WithApps(10))
	q := "?granularity=weekly&start_date=2026-02-02&end_date=2026-03-01"
	var s map[string]json.RawMessage
	a := get(t, srv, http.MethodGet, utilPath+"/summary"+q, bearer)
	require.Equal(t, 200, a.status, a.body)
	require.NoError(t, json.Unmarshal([]byte(a.body), &s))
	for _, k := range []string{"period", "total_apps", "discovered_apps", "dropped_off_apps", "categories", "users", "departments"} {
		assert.Contains(t, s, k)
	}
	assert.JSONEq(t, `{"start":"2026-02-02","end":"2026-03-01"}`, string(s["period"]))
	assert.Contains(t, string(s["total_apps"]), `"change_pct":null`)
	a = get(t, srv, http.MethodGet, utilPath+"/rankings"+q, bearer)
	require.Equal(t, 200, a.status, a.body)
	var r map[string]map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(a.body), &r))
	for _, k := range []string{"by_interactions", "by_time", "by_active_users"} {
		assert.Equal(t, "null", string(r[k]["biggest_increase"]), k)
		assert.Equal(t, "null", string(r[k]["biggest_decrease"]), k)
		assert.NotEqual(t, "null", string(r[k]["leader"]), k)
	}
}

func TestAppCatalogue(t *testing.T) {
	t.Parallel()
	a := analyticstest.App(0)
	assert.Equal(t, analyticstest.AppID, a.ID)
	assert.Equal(t, "Chat 1", a.Name)
	assert.Equal(t, "Chat 2", analyticstest.App(12).Name)
	dropped := 0
	for i := 0; i < analyticstest.DefaultApps; i++ {
		app := analyticstest.App(i)
		assert.Equal(t, analyticstest.GeneratedAppID(i), app.ID)
		if !app.LastSeen.IsZero() {
			dropped++
			assert.True(t, app.LastSeen.After(app.FirstSeen))
			assert.Zero(t, analyticstest.AppValue(analyticstest.ClientID, app.ID, "user-count", app.LastSeen.AddDate(0, 0, 1)))
		}
		assert.Zero(t, analyticstest.AppValue(analyticstest.ClientID, app.ID, "active-time", app.FirstSeen.AddDate(0, 0, -1)))
	}
	assert.True(t, dropped > 5 && dropped < 30, "about one app in eight is dropped: %d", dropped)
	assert.Zero(t, analyticstest.AppValue(analyticstest.ClientID, "not-an-app", "user-count", time.Now()))
}
