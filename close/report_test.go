package close_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"testing"
	"time"

	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
)

const (
	callDur = "calls.outbound.all.sum_duration"
	callAvg = "calls.outbound.all.avg_duration"
	emails  = "emails.sent.all.count"
)

// expect sums the fake's per-user, per-day values over users and days.
func expect(t *testing.T, srv *closetest.Server, metric string, users []closetest.User, from, to time.Time, halve bool) float64 {
	t.Helper()
	total := 0.0
	for _, u := range users {
		for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
			v, ok := srv.DayValue(metric, u.ID, d)
			if !ok {
				t.Fatalf("DayValue(%s, %s, %s) not ok", metric, u.ID, d)
			}
			if halve {
				v = math.Floor(v / 2)
			}
			total += v
		}
	}
	return total
}

func checkCell(t *testing.T, where string, values map[string]float64, nulls []string, count, dur float64) {
	t.Helper()
	if values[calls] != count || values[callDur] != dur {
		t.Errorf("%s: calls %v duration %v, want %v %v", where, values[calls], values[callDur], count, dur)
	}
	if count == 0 {
		if _, ok := values[callAvg]; ok || !reflect.DeepEqual(nulls, []string{callAvg}) {
			t.Errorf("%s: no calls: avg %v present, nulls %v; want avg null", where, values[callAvg], nulls)
		}
		return
	}
	want := math.Round(dur/count*100) / 100
	if values[callAvg] != want || nulls != nil {
		t.Errorf("%s: avg %v nulls %v, want %v", where, values[callAvg], nulls, want)
	}
}

func TestOverviewReport(t *testing.T) {
	t.Parallel()
	srv := newFake(t, closetest.WithUsers(2))
	c := newClient(t, srv)
	from, to := time.Date(2026, 4, 27, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 11, 0, 0, 0, 0, time.UTC)
	rep, err := c.GetActivityReport(context.Background(), &closeapi.ActivityReportParams{
		Type: closeapi.ReportOverview, Metrics: []string{calls, callDur, callAvg},
		DatetimeRange: &closeapi.DatetimeRange{Start: from, End: to},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Type != closeapi.ReportOverview || len(rep.Rows) != 14 {
		t.Fatalf("type %q, %d rows, want overview with 14 daily rows", rep.Type, len(rep.Rows))
	}
	users := srv.Users()
	nulls := 0
	var sumCalls, sumDur float64
	for i, row := range rep.Rows {
		day := from.AddDate(0, 0, i)
		if !row.Datetime.Equal(day) || row.UserID != "" || row.Extra != nil {
			t.Fatalf("row %d: datetime %s user %q extra %v, want %s", i, row.Datetime, row.UserID, row.Extra, day)
		}
		if _, off := row.Datetime.Zone(); off != 0 {
			t.Errorf("row %d: offset %d, want +00:00 as sent", i, off)
		}
		n := expect(t, srv, calls, users, day, day.AddDate(0, 0, 1), false)
		d := expect(t, srv, callDur, users, day, day.AddDate(0, 0, 1), false)
		checkCell(t, "row "+strconv.Itoa(i), row.Values, row.Nulls, n, d)
		if n == 0 {
			nulls++
			if v, ok := row.Value(callAvg); ok || v != 0 {
				t.Errorf("row %d: Value(avg) = %v, %v; want 0, false", i, v, ok)
			}
		}
		sumCalls += n
		sumDur += d
	}
	if nulls == 0 {
		t.Fatal("the fixture has no day without calls: the null path is not exercised")
	}
	checkCell(t, "totals", rep.Totals, rep.TotalNulls, sumCalls, sumDur)
	if sumCalls != 76 { // pins the fake's deterministic data
		t.Errorf("total calls = %v, want 76", sumCalls)
	}
	if rep.UserDisplayName(users[0].ID) != "" || len(rep.UserIDs()) != 0 {
		t.Error("overview answer has no lookup, yet names are returned")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(rep.Raw, &raw); err != nil || raw["aggregations"] == nil || raw["data"] == nil {
		t.Errorf("Raw is not the answer: %v %s", err, rep.Raw)
	}
	if rl, ok := c.LastRateLimit(closeapi.GroupActivityReport); !ok || rl.Limit != 100 || rl.Remaining != 99 {
		t.Errorf("LastRateLimit = %+v, %v; want limit 100, remaining 99", rl, ok)
	}
}

func TestComparisonReport(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	users := srv.Users()
	pick := []closetest.User{users[3], users[0]}
	april, may := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, saved := range []bool{false, true} {
		p := &closeapi.ActivityReportParams{Type: closeapi.ReportComparison, Metrics: []string{calls, emails},
			RelativeRange: closeapi.RangeLastMonth, Users: []string{pick[0].ID, pick[1].ID}}
		if saved {
			p.SavedSearchID = closetest.SavedSearchID
		}
		rep, err := c.GetActivityReport(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Rows) != 2 {
			t.Fatalf("%d rows, want 2", len(rep.Rows))
		}
		var tc, te float64
		for i, row := range rep.Rows {
			u := pick[i]
			if row.UserID != u.ID || !row.Datetime.IsZero() || row.Nulls != nil {
				t.Fatalf("row %d: user %q datetime %s nulls %v, want %s", i, row.UserID, row.Datetime, row.Nulls, u.ID)
			}
			wc := expect(t, srv, calls, []closetest.User{u}, april, may, saved)
			we := expect(t, srv, emails, []closetest.User{u}, april, may, saved)
			if !reflect.DeepEqual(row.Values, map[string]float64{calls: wc, emails: we}) {
				t.Errorf("saved=%v row %d: %v, want calls %v emails %v", saved, i, row.Values, wc, we)
			}
			if got := rep.UserDisplayName(u.ID); got != u.Display() || got == "" {
				t.Errorf("UserDisplayName(%s) = %q, want %q", u.ID, got, u.Display())
			}
			tc += wc
			te += we
		}
		if !reflect.DeepEqual(rep.Totals, map[string]float64{calls: tc, emails: te}) {
			t.Errorf("saved=%v totals %v, want %v %v", saved, rep.Totals, tc, te)
		}
		ids := []string{pick[0].ID, pick[1].ID}
		if ids[0] > ids[1] {
			ids[0], ids[1] = ids[1], ids[0]
		}
		if !reflect.DeepEqual(rep.UserIDs(), ids) || rep.UserDisplayName("user_nobody") != "" {
			t.Errorf("UserIDs = %v, want %v", rep.UserIDs(), ids)
		}
	}
}

func TestReportCSVStreamed(t *testing.T) {
	t.Parallel()
	srv := newFake(t, closetest.WithUsers(1))
	c := newClient(t, srv)
	for _, typ := range []closeapi.ReportType{closeapi.ReportOverview, closeapi.ReportComparison} {
		p := &closeapi.ActivityReportParams{Type: typ, Metrics: []string{calls, callAvg}, RelativeRange: closeapi.RangeThisWeek}
		rep, err := c.GetActivityReport(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := c.GetActivityReportCSV(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(rc).ReadAll()
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		head := []string{"datetime", calls, callAvg}
		if typ == closeapi.ReportComparison {
			head = []string{"user_id", "user_name", calls, callAvg}
		}
		if !reflect.DeepEqual(recs[0], head) || len(recs) != len(rep.Rows)+1 {
			t.Fatalf("%s: header %v and %d records; want %v and %d", typ, recs[0], len(recs), head, len(rep.Rows)+1)
		}
		for i, row := range rep.Rows {
			rec := recs[i+1]
			key := row.Datetime.Format("2006-01-02T15:04:05+00:00")
			if typ == closeapi.ReportComparison {
				key = row.UserID
				if rec[1] != rep.UserDisplayName(row.UserID) {
					t.Errorf("%s: user name %q", typ, rec[1])
				}
			}
			if rec[0] != key {
				t.Errorf("%s row %d key %q, want %q", typ, i, rec[0], key)
			}
			metricsAt := rec[len(rec)-2:]
			for j, m := range []string{calls, callAvg} {
				want := ""
				if v, ok := row.Value(m); ok {
					want = strconv.FormatFloat(v, 'f', -1, 64)
				}
				if metricsAt[j] != want {
					t.Errorf("%s row %d %s: CSV %q, JSON %q", typ, i, m, metricsAt[j], want)
				}
			}
		}
	}
	// A body cut short surfaces as a read error on the stream.
	srv.FailNext(closetest.FaultTruncate)
	rc, err := c.GetActivityReportCSV(context.Background(), &closeapi.ActivityReportParams{
		Type: closeapi.ReportOverview, Metrics: []string{calls}, RelativeRange: closeapi.RangeLastMonth})
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(rc)
	rc.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated CSV read err = %v, want unexpected EOF", err)
	}
}

// lenientServer answers every request with body.
func lenientServer(t *testing.T, status int, body string) *closeapi.Client {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(ts.Close)
	c, err := closeapi.NewClient(closeapi.WithBaseURL(ts.URL), closeapi.WithAPIKey("k_test_1234"), closeapi.WithRetryPolicy(closeapi.NoRetries))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var anyReport = &closeapi.ActivityReportParams{Type: closeapi.ReportComparison, Metrics: []string{"calls"}, RelativeRange: closeapi.RangeToday}

func TestReportDecodingLenient(t *testing.T) {
	t.Parallel()
	c := lenientServer(t, 200, `{"data": [
		{"user_id": "user_a", "calls": 3, "avg": null, "note": "x", "nested": {"a": 1}, "neg": -2.5},
		{"user_id": "user_b", "calls": 0}],
		"lookup": {"user": {"user_a": {"display": "Jane Doe"}, "user_b": {"first_name": "Bo", "last_name": "Li"}, "user_c": "Cee"}}}`)
	rep, err := c.GetActivityReport(context.Background(), anyReport)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals != nil || rep.TotalNulls != nil {
		t.Errorf("Totals = %v, want nil when absent", rep.Totals)
	}
	r0 := rep.Rows[0]
	if !reflect.DeepEqual(r0.Values, map[string]float64{"calls": 3, "neg": -2.5}) || !reflect.DeepEqual(r0.Nulls, []string{"avg"}) {
		t.Errorf("row 0 values %v nulls %v", r0.Values, r0.Nulls)
	}
	if string(r0.Extra["note"]) != `"x"` || string(r0.Extra["nested"]) != `{"a": 1}` || len(r0.Extra) != 2 {
		t.Errorf("row 0 extra %v", r0.Extra)
	}
	if v, ok := rep.Rows[1].Value("calls"); !ok || v != 0 {
		t.Errorf("a real zero must be present: %v %v", v, ok)
	}
	for id, want := range map[string]string{"user_a": "Jane Doe", "user_b": "Bo Li", "user_c": "Cee"} {
		if got := rep.UserDisplayName(id); got != want {
			t.Errorf("UserDisplayName(%s) = %q, want %q", id, got, want)
		}
	}

	c = lenientServer(t, 200, `{"aggregations": {"totals": {"calls": 7, "avg": null}}, "data": [
		{"datetime": "2026-05-10T00:00:00+02:00", "calls": 1},
		{"datetime": "2026-05-11", "calls": 2},
		{"datetime": "2026-05-12T06:00:00", "calls": 4}]}`)
	rep, err = c.GetActivityReport(context.Background(), anyReport)
	if err != nil {
		t.Fatal(err)
	}
	wantTimes := []time.Time{time.Date(2026, 5, 9, 22, 0, 0, 0, time.UTC), time.Date(2026, 5, 11, 0, 0, 0, 0, time.UTC), time.Date(2026, 5, 12, 6, 0, 0, 0, time.UTC)}
	for i, row := range rep.Rows {
		if !row.Datetime.Equal(wantTimes[i]) {
			t.Errorf("row %d datetime %s, want %s", i, row.Datetime, wantTimes[i])
		}
	}
	if !reflect.DeepEqual(rep.Totals, map[string]float64{"calls": 7}) || !reflect.DeepEqual(rep.TotalNulls, []string{"avg"}) {
		t.Errorf("totals %v nulls %v", rep.Totals, rep.TotalNulls)
	}
	var nilRep *closeapi.ActivityReport
	if nilRep.UserDisplayName("x") != "" || nilRep.UserIDs() != nil {
		t.Error("nil report methods")
	}
}

func TestReportDecodingErrors(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`<html>oops</html>`, `{"data": [{"datetime": "yesterday-ish"}]}`, `{"data": [{"datetime": 5}]}`, `{"data": {}}`} {
		c := lenientServer(t, 200, body)
		_, err := c.GetActivityReport(context.Background(), anyReport)
		var re *closeapi.RequestError
		if !errors.As(err, &re) || re.Method != "POST" || re.Attempts != 1 {
			t.Errorf("%s: err = %v, want *RequestError", body, err)
		}
	}
}
