package close_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
)

func TestErrorShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		status   int
		body     string
		header   map[string]string
		sentinel error
		code     string
		message  string
		errs     []string
		fields   map[string]string
	}{
		{name: "error string", status: 404, body: `{"error": "Saved search not found."}`, sentinel: closeapi.ErrNotFound,
			message: "Saved search not found."},
		{name: "error object", status: 403, body: `{"error": {"message": "Insufficient permissions", "code": "forbidden"}}`,
			sentinel: closeapi.ErrForbidden, code: "forbidden", message: "Insufficient permissions"},
		{name: "error object description", status: 401, body: `{"error": {"description": "Bad key", "type": "auth"}}`,
			sentinel: closeapi.ErrUnauthorized, code: "auth", message: "Bad key"},
		{name: "errors and field-errors", status: 400,
			body:    `{"errors": ["Invalid report", {"message": "Too many users"}, null, 7], "field-errors": {"type": "This field is required.", "datetime_range": {"start": "Invalid date-time.", "end": ["Required.", "Must be after start."]}}}`,
			message: "Invalid report; Too many users; 7", errs: []string{"Invalid report", "Too many users", "7"},
			fields: map[string]string{"type": "This field is required.", "datetime_range.start": "Invalid date-time.", "datetime_range.end": "Required.; Must be after start."}},
		{name: "field-errors only", status: 400, body: `{"errors": [], "field-errors": {"users": "Unknown user", "metrics": {"message": "Unknown metric"}}}`,
			message: "metrics: Unknown metric; users: Unknown user", fields: map[string]string{"users": "Unknown user", "metrics": "Unknown metric"}},
		{name: "error wins over errors", status: 402, body: `{"error": "Payment required", "errors": ["x"]}`,
			message: "Payment required", errs: []string{"x"}},
		{name: "html", status: 405, body: `<html><head><title>405 Not Allowed</title></head></html>`, header: map[string]string{"Content-Type": "text/html"},
			message: "405 Not Allowed"},
		{name: "other JSON", status: 415, body: `{"detail": "Unsupported media type"}`, message: `{"detail": "Unsupported media type"}`},
		{name: "empty", status: 400, body: " ", message: ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t)
			c := newClient(t, srv)
			f := closetest.Fault{Kind: closetest.Status, Status: tc.status, Body: tc.body, Header: map[string][]string{"X-Request-Id": {"req-42"}}}
			for k, v := range tc.header {
				f.Header[k] = []string{v}
			}
			srv.FailNext(f)
			_, err := c.ListActivityMetrics(context.Background())
			var ae *closeapi.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.sentinel)
			}
			if ae.StatusCode != tc.status || ae.Code != tc.code || ae.Message != tc.message || ae.RequestID != "req-42" || ae.Provider != "close" {
				t.Errorf("status %d code %q message %q request id %q", ae.StatusCode, ae.Code, ae.Message, ae.RequestID)
			}
			if !reflect.DeepEqual(ae.Errors, tc.errs) || !reflect.DeepEqual(ae.FieldErrors, tc.fields) {
				t.Errorf("Errors %q FieldErrors %q, want %q %q", ae.Errors, ae.FieldErrors, tc.errs, tc.fields)
			}
			if string(ae.Body) != tc.body {
				t.Errorf("Body %q", ae.Body)
			}
			if strings.ContainsAny(err.Error(), "\n\r") || !strings.Contains(err.Error(), "request id req-42") {
				t.Errorf("Error() = %q", err)
			}
		})
	}
}

// TestFakeValidationErrors: what only the server can know comes back as
// Close's field errors.
func TestFakeValidationErrors(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	base := func() *closeapi.ActivityReportParams {
		return &closeapi.ActivityReportParams{Type: closeapi.ReportOverview, Metrics: []string{calls}, RelativeRange: closeapi.RangeToday}
	}
	cases := []struct {
		edit  func(*closeapi.ActivityReportParams)
		field string
		msg   string
	}{
		{func(p *closeapi.ActivityReportParams) { p.Metrics = []string{"calls.sideways.count"} }, "metrics", "Unknown metric: calls.sideways.count"},
		{func(p *closeapi.ActivityReportParams) { p.SavedSearchID = "save_doesNotExist" }, "query.saved_search_id", "Saved search not found."},
		{func(p *closeapi.ActivityReportParams) { p.Users = []string{"user_nobody"} }, "users", "Unknown user: user_nobody"},
	}
	for _, tc := range cases {
		p := base()
		tc.edit(p)
		_, err := c.GetActivityReport(context.Background(), p)
		var ae *closeapi.APIError
		if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Attempts != 1 {
			t.Fatalf("err = %v, want a 400 *APIError after one attempt", err)
		}
		if !reflect.DeepEqual(ae.FieldErrors, map[string]string{tc.field: tc.msg}) || ae.Message != tc.field+": "+tc.msg {
			t.Errorf("FieldErrors %v message %q", ae.FieldErrors, ae.Message)
		}
	}
}

func TestRetriesAndFaults(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	p := &closeapi.ActivityReportParams{Type: closeapi.ReportOverview, Metrics: []string{calls}, RelativeRange: closeapi.RangeToday}
	want, err := c.GetActivityReport(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	// The report POST is safe to retry: every fault kind is retried.
	for _, f := range closetest.AllFaults(0, 0) {
		srv.ResetRequests()
		srv.FailNext(f)
		got, err := c.GetActivityReport(context.Background(), p)
		if err != nil {
			t.Fatalf("%v: %v", f.Kind, err)
		}
		if !reflect.DeepEqual(got.Rows, want.Rows) || !reflect.DeepEqual(got.Totals, want.Totals) {
			t.Errorf("%v: report differs after retry", f.Kind)
		}
		if n := len(srv.Requests()); f.Kind != closetest.Slow && n != 2 {
			t.Errorf("%v: %d requests, want 2", f.Kind, n)
		}
	}
	// Retries run out: the last answer's typed error, with the attempts.
	srv.FailNext(closetest.Fault500, closetest.Fault502, closetest.Fault503, closetest.Fault504)
	_, err = c.GetActivityReport(context.Background(), p)
	var ae *closeapi.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 504 || ae.Attempts != 4 || !strings.Contains(err.Error(), "4 attempts") {
		t.Fatalf("err = %v, want a 504 *APIError after 4 attempts", err)
	}
	// No answer at all: *RequestError.
	// (net/http itself retries a GET once on a reused connection that was
	// dropped, so every request fails here rather than a counted few.)
	srv.FailRandomly(1, 1, closetest.FaultDrop)
	_, err = c.ListActivityMetrics(context.Background())
	srv.ClearFaults()
	var re *closeapi.RequestError
	if !errors.As(err, &re) || re.Attempts != 4 || re.Method != "GET" {
		t.Fatalf("err = %v, want *RequestError after 4 attempts", err)
	}
	// A cancelled context stops at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.GetActivityReport(ctx, p); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestAPIErrorAsErrorInfo(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	srv.FailNext(closetest.Fault{Kind: closetest.Status, Status: 404, Body: `{"error": "gone"}`})
	_, err := c.ListActivityMetrics(context.Background())
	var info *closeapi.ErrorInfo
	if !errors.As(err, &info) || info.StatusCode != 404 || info.Message != "gone" {
		t.Fatalf("errors.As(*ErrorInfo) = %v %+v", err, info)
	}
}
