package activtraktest_test

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

	"github.com/activitysdk/activity-go/activtrak/activtraktest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type answer struct {
	status int
	body   map[string]any
	raw    string
}

func get(t *testing.T, srv *activtraktest.Server, method, path, key string) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := answer{status: resp.StatusCode, raw: string(b)}
	require.NoError(t, json.Unmarshal(b, &a.body), string(b))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	return a
}

func TestErrorsInActivTrakShape(t *testing.T) {
	t.Parallel()
	srv := activtraktest.NewServer(activtraktest.WithEarlyAccess())
	defer srv.Close()
	const wh = "/reports/v2/workinghours/users"
	for _, tc := range []struct {
		name, method, path, key string
		status                  int
		message                 string
	}{
		{"no key", "GET", "/reports/v2/activitylog", "", 401, "invalid or missing credentials"},
		{"wrong key", "GET", "/reports/v2/activitylog", "nope", 401, "invalid or missing credentials"},
		{"two filters", "GET", "/reports/v2/activitylog?userId=1&groupId=2", activtraktest.APIKey, 400,
			"Only one of the fields (userId, groupId, computerId) can be sent per request."},
		{"two filters wh", "GET", wh + "?from=2024-06-03&to=2024-06-03&computerId=1&userId=-1", activtraktest.APIKey, 400,
			"Only one of the fields (userId, groupId, computerId) can be sent per request."},
		{"no from", "GET", wh + "?to=2024-06-03", activtraktest.APIKey, 400, "The from parameter is required. Format: YYYY-MM-DD."},
		{"no to", "GET", wh + "?from=2024-06-03", activtraktest.APIKey, 400, "The to parameter is required. Format: YYYY-MM-DD."},
		{"bad from", "GET", wh + "?from=06/03/2024&to=2024-06-03", activtraktest.APIKey, 400,
			"The value '06/03/2024' is not valid for from. Format: YYYY-MM-DD."},
		{"to before from", "GET", wh + "?from=2024-06-04&to=2024-06-03", activtraktest.APIKey, 400,
			"The to date must not be before the from date."},
		{"page 0", "GET", wh + "?from=2024-06-03&to=2024-06-03&page=0", activtraktest.APIKey, 400,
			"The value '0' is not valid for page: must be between 1 and 1073741824."},
		{"page size", "GET", "/reports/v2/activitylog?pageSize=1001", activtraktest.APIKey, 400,
			"The value '1001' is not valid for pageSize: must be between 1 and 1000."},
		{"bad id", "GET", "/reports/v2/activitylog?userId=abc", activtraktest.APIKey, 400, "The value 'abc' is not valid for userId."},
		{"bad cursor", "GET", "/reports/v2/activitylog?cursor=xyz", activtraktest.APIKey, 400, "The cursor 'xyz' is not valid."},
		{"bad start", "GET", "/reports/v2/activitylog?startDate=today", activtraktest.APIKey, 400,
			"The value 'today' is not valid for startDate. Format: YYYY-MM-DD."},
		{"end before start", "GET", "/reports/v2/activitylog?startDate=2024-06-04&endDate=2024-06-03", activtraktest.APIKey, 400,
			"endDate must not be before startDate."},
		{"unknown path", "GET", "/reports/v2/workinghours/groups", activtraktest.APIKey, 404, "No resource at /reports/v2/workinghours/groups"},
		{"escaped slash stays one segment", "GET", "/reports/v2/workinghours%2Fusers", activtraktest.APIKey, 404,
			"No resource at /reports/v2/workinghours%2Fusers"},
		{"post", "POST", "/reports/v2/activitylog", activtraktest.APIKey, 405,
			"The requested resource does not support http method 'POST'."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := get(t, srv, tc.method, tc.path, tc.key)
			assert.Equal(t, tc.status, a.status)
			assert.Equal(t, map[string]any{"messages": []any{tc.message}, "success": false}, a.body)
		})
	}
	srv.FailNext(activtraktest.Fault500)
	a := get(t, srv, "GET", "/reports/v2/activitylog", activtraktest.APIKey)
	assert.Equal(t, 500, a.status)
	assert.Equal(t, []any{"injected fault: Internal Server Error"}, a.body["messages"])
}

func TestActivityLogCursorSemantics(t *testing.T) {
	t.Parallel()
	srv := activtraktest.NewServer(activtraktest.WithEarlyAccess(), activtraktest.WithDays(2), activtraktest.WithRecordsPerDay(200),
		activtraktest.WithToday(time.Date(2024, 6, 4, 15, 0, 0, 0, time.UTC)))
	defer srv.Close()
	key := activtraktest.APIKey
	assert.Equal(t, time.Date(2024, 6, 4, 0, 0, 0, 0, time.UTC), srv.Today())
	assert.Equal(t, time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC), srv.StartDate())
	assert.Equal(t, time.Date(2024, 6, 4, 0, 0, 0, 0, time.UTC), srv.EndDate())

	// No startDate: today; no pageSize: 150.
	a := get(t, srv, "GET", "/reports/v2/activitylog", key)
	require.Equal(t, 200, a.status)
	acts := a.body["activity"].([]any)
	require.Len(t, acts, 150)
	assert.Equal(t, float64(201), acts[0].(map[string]any)["logId"])
	assert.Equal(t, "2024-06-04T08:00:00.4", acts[0].(map[string]any)["date"])
	cur := a.body["cursor"].(string)

	a = get(t, srv, "GET", "/reports/v2/activitylog?cursor="+cur, key)
	acts = a.body["activity"].([]any)
	require.Len(t, acts, 50)
	assert.Equal(t, float64(351), acts[0].(map[string]any)["logId"])
	cur2 := a.body["cursor"].(string)
	assert.NotEqual(t, cur, cur2)

	// Nothing new: empty, and the same cursor back.
	a = get(t, srv, "GET", "/reports/v2/activitylog?cursor="+cur2, key)
	assert.Empty(t, a.body["activity"])
	assert.Equal(t, cur2, a.body["cursor"])

	// A late record for the first day: returned from the cursor whatever its
	// date, but not to a date-bounded request without one.
	rec, ok := srv.Record(0)
	require.True(t, ok)
	rec.LogID = 0
	stored := srv.Append(rec)
	assert.Equal(t, int64(401), stored[0].LogID)
	assert.Equal(t, 401, srv.LogLen())
	a = get(t, srv, "GET", "/reports/v2/activitylog?startDate=2024-06-04&cursor="+cur2, key)
	acts = a.body["activity"].([]any)
	require.Len(t, acts, 1)
	assert.Equal(t, float64(401), acts[0].(map[string]any)["logId"])
	assert.Equal(t, "2024-06-03T08:00:00", acts[0].(map[string]any)["date"])
	a = get(t, srv, "GET", "/reports/v2/activitylog?startDate=2024-06-04&pageSize=1000", key)
	assert.Len(t, a.body["activity"], 200)
	// endDate bounds even with a cursor.
	a = get(t, srv, "GET", "/reports/v2/activitylog?endDate=2024-06-02&cursor="+cur2, key)
	assert.Empty(t, a.body["activity"])
	assert.Equal(t, cur2, a.body["cursor"])

	// An empty answer without a cursor returns the current end of the log.
	a = get(t, srv, "GET", "/reports/v2/activitylog?startDate=2024-07-01", key)
	assert.Empty(t, a.body["activity"])
	end := a.body["cursor"].(string)
	srv.Append(activtraktest.LogRecord{User: "x", Date: time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)})
	a = get(t, srv, "GET", "/reports/v2/activitylog?cursor="+end, key)
	acts = a.body["activity"].([]any)
	require.Len(t, acts, 1)
	assert.Equal(t, float64(402), acts[0].(map[string]any)["logId"])

	_, ok = srv.Record(402)
	assert.False(t, ok)
	_, ok = srv.Record(-1)
	assert.False(t, ok)
}

func TestWorkingHoursPaging(t *testing.T) {
	t.Parallel()
	srv := activtraktest.NewServer(activtraktest.WithEarlyAccess(), activtraktest.WithUsers(3), activtraktest.WithGroups(3), activtraktest.WithDays(4))
	defer srv.Close()
	a := get(t, srv, "GET", "/reports/v2/workinghours/computers?from=2024-06-04&to=2024-06-30&page=2&pageSize=4", activtraktest.APIKey)
	require.Equal(t, 200, a.status)
	assert.Equal(t, float64(9), a.body["total"])
	acts := a.body["activity"].([]any)
	require.Len(t, acts, 4)
	row := acts[0].(map[string]any)
	assert.Equal(t, "2024-06-05T00:00:00", row["date"])
	assert.Equal(t, float64(1002), row["userid"])
	assert.Equal(t, []any{"PC-002"}, row["computers"])
	assert.Equal(t, []any{"Group 2"}, row["groups"])
	assert.NotContains(t, row, "computerid")
	assert.NotContains(t, row, "users")
	// The users perspective carries computerid and users, as documented.
	a = get(t, srv, "GET", "/reports/v2/workinghours/users?from=2024-06-03&to=2024-06-03&groupId=303", activtraktest.APIKey)
	assert.Equal(t, float64(1), a.body["total"])
	row = a.body["activity"].([]any)[0].(map[string]any)
	assert.Equal(t, float64(2003), row["computerid"])
	assert.Equal(t, []any{"user03"}, row["users"])
	assert.NotContains(t, row, "userid")
	assert.True(t, strings.HasSuffix(row["lastActivityLog"].(string), "Z"))
	// Past the end: empty, total unchanged.
	a = get(t, srv, "GET", "/reports/v2/workinghours/users?from=2024-06-03&to=2024-06-06&page=9", activtraktest.APIKey)
	assert.Equal(t, float64(12), a.body["total"])
	assert.Empty(t, a.body["activity"])
}

func TestOtherKeyAndNilOption(t *testing.T) {
	t.Parallel()
	srv := activtraktest.NewServer(activtraktest.WithEarlyAccess(), nil, activtraktest.WithAPIKey("other-key"), activtraktest.WithLogLimit(5))
	defer srv.Close()
	assert.Equal(t, 401, get(t, srv, "GET", "/reports/v2/activitylog", activtraktest.APIKey).status)
	assert.Equal(t, 200, get(t, srv, "GET", "/reports/v2/activitylog", "other-key").status)
	assert.Len(t, activtraktest.AllFaults(time.Second, time.Second), 8)
}

// BenchmarkActivityLogPage measures one page of 1000 records from a log of
// a million.
func BenchmarkActivityLogPage(b *testing.B) {
	srv := activtraktest.NewServer(activtraktest.WithEarlyAccess(), activtraktest.WithDays(1000), activtraktest.WithRecordsPerDay(1000))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/reports/v2/activitylog?startDate=2025-01-01&pageSize=1000", nil)
	req.Header.Set("Authorization", "Bearer "+activtraktest.APIKey)
	for b.Loop() {
		resp, err := srv.Client().Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
