package reliability_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
	"github.com/activitysdk/activity-go/internal/core"
	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// credHostileIDs are ids that would change a request's path if they were
// pasted into it unescaped.
var credHostileIDs = []string{
	"../x", "a/b", "%2F", "..", ".", "?x=1", "#f", "a b", "%", "%zz", "../../oauth2/token",
	"a%2F..%2Fb", "x/../../y", "/", "//evil.example/x", `a\b`, ";x=1", "a?b#c", "ü/é", "+/+/==",
	"..%2F..%2F", "%2e%2e", "\x00", "a\nb", "a\rb", "@evil.example",
}

// credSegments splits an escaped path into unescaped segments, or fails.
func credSegments(t *testing.T, raw string) []string {
	t.Helper()
	parts := strings.Split(strings.TrimPrefix(raw, "/"), "/")
	out := make([]string, len(parts))
	for i, p := range parts {
		if p == "." || p == ".." {
			t.Errorf("raw path %q has a dot segment", raw)
		}
		s, err := url.PathUnescape(p)
		if err != nil {
			t.Errorf("raw path %q: segment %q does not unescape: %v", raw, p, err)
		}
		out[i] = s
	}
	return out
}

// TestPathSafetyWorkiva: whatever an id holds, it travels as exactly one
// escaped path segment in its place; the request's query and the other
// segments are untouched, and the fake answers 404 for the unknown id (so
// the request reached the route it was meant for).
func TestPathSafetyWorkiva(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	t.Cleanup(srv.Close)
	c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL), workiva.WithRetryPolicy(workiva.NoRetries),
		workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	org, ws := workivatest.OrganizationID, workivatest.WorkspaceC // WorkspaceC holds "+", "/" and "="
	ops := []struct {
		name string
		call func(id string) error
		want func(id string) []string
	}{
		{"GetActivity", func(id string) error { _, err := c.GetActivity(ctx, id); return err },
			func(id string) []string { return []string{"activities", id} }},
		{"GetActivityAction", func(id string) error { _, err := c.GetActivityAction(ctx, id); return err },
			func(id string) []string { return []string{"activityActions", id} }},
		{"ListOrganizationActivities", func(id string) error {
			_, err := credWalk(c.ListOrganizationActivities(ctx, id, nil).All())
			return err
		}, func(id string) []string { return []string{"organizations", id, "activities"} }},
		{"ListWorkspaceActivities org", func(id string) error {
			_, err := credWalk(c.ListWorkspaceActivities(ctx, id, ws, nil).All())
			return err
		}, func(id string) []string { return []string{"organizations", id, "workspaces", ws, "activities"} }},
		{"ListWorkspaceActivities workspace", func(id string) error {
			_, err := credWalk(c.ListWorkspaceActivities(ctx, org, id, nil).All())
			return err
		}, func(id string) []string { return []string{"organizations", org, "workspaces", id, "activities"} }},
	}
	for _, op := range ops {
		for _, id := range credHostileIDs {
			srv.ResetRequests()
			err := op.call(id)
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Errorf("%s(%q): %d requests, want 1", op.name, id, len(reqs))
				continue
			}
			r := reqs[0]
			got, want := credSegments(t, r.RawPath), op.want(id)
			if strings.Join(got, "\x1f") != strings.Join(want, "\x1f") || len(got) != len(want) {
				t.Errorf("%s(%q): path %q has segments %q, want %q", op.name, id, r.RawPath, got, want)
			}
			if r.RawQuery != "" {
				t.Errorf("%s(%q): query %q, want none", op.name, id, r.RawQuery)
			}
			if !errors.Is(err, workiva.ErrNotFound) {
				t.Errorf("%s(%q): error %v, want ErrNotFound from the intended route", op.name, id, err)
			}
		}
	}
}

// TestPathSafetyAnalytics: client and user ids must be UUIDs; anything else
// is a *ValidationError naming the id, and nothing is sent.
func TestPathSafetyAnalytics(t *testing.T) {
	t.Parallel()
	srv := analyticstest.NewServer()
	t.Cleanup(srv.Close)
	c, err := analytics.NewClient(analytics.WithBaseURL(srv.URL+analyticstest.BasePath), analytics.WithToken(analyticstest.Token))
	if err != nil {
		t.Fatal(err)
	}
	p := &analytics.UserActivityParams{StartDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}
	uuid := analyticstest.UserID
	ids := append([]string{"", uuid + "/..", uuid + "%2F", "../" + uuid, uuid[:35] + "/", uuid[:35] + "?",
		uuid[:35] + "#", uuid[:35] + ".", strings.ReplaceAll(uuid, "-", "/"), " " + uuid, uuid + " ",
		"{" + uuid[1:35] + "}", strings.ReplaceAll(uuid, "a", "g")}, credHostileIDs...)
	for _, id := range ids {
		for _, field := range []string{"clientID", "userID"} {
			clientID, userID := analyticstest.ClientID, analyticstest.UserID
			if field == "clientID" {
				clientID = id
			} else {
				userID = id
			}
			_, err := c.GetUserActivity(context.Background(), clientID, userID, p)
			credWantInvalid(t, field+"="+id, err, "analytics", field)
		}
	}
	if n := srv.RequestCount(); n != 0 {
		t.Errorf("the fake received %d requests", n)
	}
	// Upper-case UUIDs are UUIDs: they are sent, as one segment each.
	up := strings.ToUpper(analyticstest.ClientID)
	_, _ = c.GetUserActivity(context.Background(), up, strings.ToUpper(uuid), p)
	if r, ok := srv.LastRequest(); !ok || r.RawPath != analyticstest.BasePath+"/clients/"+up+"/analytics/users/"+strings.ToUpper(uuid)+"/activity" {
		t.Errorf("upper-case ids: request %+v", r.RawPath)
	}
}

// credWantInvalid checks that err is a *ValidationError of provider naming
// field, whose message names the field too.
func credWantInvalid(t *testing.T, name string, err error, provider, field string) {
	t.Helper()
	var ve *core.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("%s: error %v (%T), want a *ValidationError", name, err, err)
		return
	}
	if ve.Field != field {
		t.Errorf("%s: Field %q, want %q (%v)", name, ve.Field, field, err)
	}
	if ve.Provider != provider || ve.Problem == "" || !strings.HasPrefix(err.Error(), provider+": ") {
		t.Errorf("%s: error %q, want one from %s with a problem", name, err, provider)
	}
	if field != "" && !strings.Contains(err.Error(), field) {
		t.Errorf("%s: message %q does not name %s", name, err, field)
	}
}

// credBadCase is one invalid input: the operation, and the field its
// *ValidationError must name.
type credBadCase struct {
	name  string
	field string
	call  func(ctx context.Context) error
}

// credRunBad runs every case against a fresh fake and checks the field of
// each *ValidationError and that the fake never received a request.
func credRunBad(t *testing.T, provider string, count func() int64, cases []credBadCase) {
	t.Helper()
	for _, bc := range cases {
		before := count()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var err error
		credNoPanic(t, bc.name, nil, func() { err = bc.call(ctx) })
		cancel()
		credWantInvalid(t, bc.name, err, provider, bc.field)
		if n := count() - before; n != 0 {
			t.Errorf("%s: %d request(s) sent", bc.name, n)
		}
	}
	if n := count(); n != 0 {
		t.Errorf("%s: the fake received %d requests in all, want 0", provider, n)
	}
	t.Logf("%s: %d invalid inputs checked", provider, len(cases))
}

var (
	credDay  = time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)
	credY0   = time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)
	credYNeg = time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)
	credY10k = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// TestBadInputWorkiva: every field of ListActivitiesParams and
// ListActivityActionsParams and every id, one invalid value at a time.
func TestBadInputWorkiva(t *testing.T) {
	t.Parallel()
	srv := workivatest.NewServer()
	t.Cleanup(srv.Close)
	c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL),
		workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	org, ws := workivatest.OrganizationID, workivatest.WorkspaceA
	orgList := srv.URL + "/organizations/" + org + "/activities"
	var cases []credBadCase
	lists := map[string]func(ctx context.Context, p *workiva.ListActivitiesParams) error{
		"org": func(ctx context.Context, p *workiva.ListActivitiesParams) error {
			_, err := credWalk(c.ListOrganizationActivities(ctx, org, p).All())
			return err
		},
		"workspace": func(ctx context.Context, p *workiva.ListActivitiesParams) error {
			_, err := credWalk(c.ListWorkspaceActivities(ctx, org, ws, p).All())
			return err
		},
	}
	for name, list := range lists {
		for _, v := range []struct {
			field string
			p     workiva.ListActivitiesParams
		}{
			{"PageSize", workiva.ListActivitiesParams{PageSize: -1}},
			{"PageSize", workiva.ListActivitiesParams{PageSize: workiva.MaxPageSize + 1}},
			{"PageSize", workiva.ListActivitiesParams{PageSize: math.MinInt}},
			{"Filter", workiva.ListActivitiesParams{Filter: " "}},
			{"Filter", workiva.ListActivitiesParams{Filter: "\t\n"}},
			{"Filter", workiva.ListActivitiesParams{Filter: "action.alias eq 'x'\x00"}},
			{"Filter", workiva.ListActivitiesParams{Filter: "action.alias eq 'x'\r\nX-Evil: 1"}},
			{"OrderBy", workiva.ListActivitiesParams{OrderBy: "  "}},
			{"OrderBy", workiva.ListActivitiesParams{OrderBy: "activityDateTime asc\n"}},
			{"OrderBy", workiva.ListActivitiesParams{OrderBy: "activityDateTime\x7f"}},
			{"PageToken", workiva.ListActivitiesParams{PageToken: "http://127.0.0.2:1/organizations/" + org + "/activities?$next=x"}},
			{"PageToken", workiva.ListActivitiesParams{PageToken: srv.URL + "/activityActions?$next=x"}},
			{"PageToken", workiva.ListActivitiesParams{PageToken: "/activityActions?$next=x"}},
			{"PageToken", workiva.ListActivitiesParams{PageToken: "abc\x00def"}},
			{"PageToken", workiva.ListActivitiesParams{PageToken: "abc\ndef"}},
		} {
			p := v.p
			cases = append(cases, credBadCase{name + " " + v.field + " " + strings.ReplaceAll(p.Filter+p.OrderBy+p.PageToken, "\x00", "NUL"),
				v.field, func(ctx context.Context) error { return list(ctx, &p) }})
		}
	}
	for _, v := range []struct {
		field string
		p     workiva.ListActivityActionsParams
	}{
		{"PageSize", workiva.ListActivityActionsParams{PageSize: -5}},
		{"PageSize", workiva.ListActivityActionsParams{PageSize: 1001}},
		{"OrderBy", workiva.ListActivityActionsParams{OrderBy: "\t"}},
		{"OrderBy", workiva.ListActivityActionsParams{OrderBy: "name\x00"}},
		{"PageToken", workiva.ListActivityActionsParams{PageToken: orgList + "?$next=x"}},
		{"PageToken", workiva.ListActivityActionsParams{PageToken: "https://127.0.0.1:1/activityActions?$next=x"}},
		{"PageToken", workiva.ListActivityActionsParams{PageToken: "x\x01"}},
	} {
		p := v.p
		cases = append(cases, credBadCase{"actions " + v.field, v.field, func(ctx context.Context) error {
			_, err := credWalk(c.ListActivityActions(ctx, &p).All())
			return err
		}})
	}
	for _, id := range []string{"", " ", "\t", "\n"} {
		cases = append(cases,
			credBadCase{"GetActivity " + id, "activityID", func(ctx context.Context) error { _, err := c.GetActivity(ctx, id); return err }},
			credBadCase{"GetActivityAction " + id, "activityActionID", func(ctx context.Context) error {
				_, err := c.GetActivityAction(ctx, id)
				return err
			}},
			credBadCase{"ListOrganizationActivities " + id, "organizationID", func(ctx context.Context) error {
				_, err := credWalk(c.ListOrganizationActivities(ctx, id, nil).All())
				return err
			}},
			credBadCase{"ListWorkspaceActivities org " + id, "organizationID", func(ctx context.Context) error {
				_, err := credWalk(c.ListWorkspaceActivities(ctx, id, ws, nil).All())
				return err
			}},
			credBadCase{"ListWorkspaceActivities workspace " + id, "workspaceID", func(ctx context.Context) error {
				_, err := credWalk(c.ListWorkspaceActivities(ctx, org, id, nil).All())
				return err
			}},
		)
	}
	credRunBad(t, "workiva", srv.RequestCount, cases)
}

// TestBadInputActivTrak: every field of WorkingHoursParams (both
// perspectives) and ActivityLogParams (list and follow), and the follow
// interval.
func TestBadInputActivTrak(t *testing.T) {
	t.Parallel()
	srv := activtraktest.NewServer()
	t.Cleanup(srv.Close)
	c, err := activtrak.NewClient(activtrak.WithBaseURL(srv.URL), activtrak.WithAPIKey(activtraktest.APIKey))
	if err != nil {
		t.Fatal(err)
	}
	day, next := credDay, credDay.AddDate(0, 0, 1)
	wh := func(mod func(*activtrak.WorkingHoursParams)) activtrak.WorkingHoursParams {
		p := activtrak.WorkingHoursParams{From: day, To: next}
		mod(&p)
		return p
	}
	var cases []credBadCase
	for _, v := range []struct {
		name, field string
		p           activtrak.WorkingHoursParams
	}{
		{"From zero", "From", activtrak.WorkingHoursParams{To: next}},
		{"To zero", "To", activtrak.WorkingHoursParams{From: day}},
		{"To before From", "To", wh(func(p *activtrak.WorkingHoursParams) { p.To = day.AddDate(0, 0, -1) })},
		{"To before From across zones", "To", activtrak.WorkingHoursParams{From: time.Date(2024, 6, 3, 1, 0, 0, 0, time.FixedZone("E", 3*3600)),
			To: time.Date(2024, 6, 2, 23, 0, 0, 0, time.UTC)}},
		{"From year 0", "From", wh(func(p *activtrak.WorkingHoursParams) { p.From = credY0 })},
		{"From negative year", "From", wh(func(p *activtrak.WorkingHoursParams) { p.From = credYNeg })},
		{"To year 10000", "To", wh(func(p *activtrak.WorkingHoursParams) { p.To = credY10k })},
		{"UserID -2", "UserID", wh(func(p *activtrak.WorkingHoursParams) { p.UserID = -2 })},
		{"UserID min", "UserID", wh(func(p *activtrak.WorkingHoursParams) { p.UserID = math.MinInt64 })},
		{"GroupID -1", "GroupID", wh(func(p *activtrak.WorkingHoursParams) { p.GroupID = -1 })},
		{"ComputerID -3", "ComputerID", wh(func(p *activtrak.WorkingHoursParams) { p.ComputerID = -3 })},
		{"UserID and GroupID", "", wh(func(p *activtrak.WorkingHoursParams) { p.UserID, p.GroupID = 1001, 1 })},
		{"all three ids", "", wh(func(p *activtrak.WorkingHoursParams) { p.UserID, p.GroupID, p.ComputerID = -1, 1, 2001 })},
		{"PageSize -1", "PageSize", wh(func(p *activtrak.WorkingHoursParams) { p.PageSize = -1 })},
		{"PageSize 1001", "PageSize", wh(func(p *activtrak.WorkingHoursParams) { p.PageSize = activtrak.MaxPageSize + 1 })},
		{"PageToken word", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "abc" })},
		{"PageToken 0", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "0" })},
		{"PageToken -1", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "-1" })},
		{"PageToken 1.5", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "1.5" })},
		{"PageToken huge", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "99999999999999999999999" })},
		{"PageToken URL", "PageToken", wh(func(p *activtrak.WorkingHoursParams) { p.PageToken = "http://127.0.0.2/?page=2" })},
	} {
		p := v.p
		cases = append(cases,
			credBadCase{"users " + v.name, v.field, func(ctx context.Context) error {
				_, err := credWalk(c.ListUserWorkingHours(ctx, &p).All())
				return err
			}},
			credBadCase{"computers " + v.name, v.field, func(ctx context.Context) error {
				_, err := credWalk(c.ListComputerWorkingHours(ctx, &p).All())
				return err
			}})
	}
	cases = append(cases, credBadCase{"users nil params", "", func(ctx context.Context) error {
		_, err := credWalk(c.ListUserWorkingHours(ctx, nil).All())
		return err
	}})
	for _, v := range []struct {
		name, field string
		p           activtrak.ActivityLogParams
	}{
		{"EndDate before StartDate", "EndDate", activtrak.ActivityLogParams{StartDate: next, EndDate: day}},
		{"StartDate year 0", "StartDate", activtrak.ActivityLogParams{StartDate: credY0}},
		{"StartDate negative year", "StartDate", activtrak.ActivityLogParams{StartDate: credYNeg}},
		{"EndDate year 10000", "EndDate", activtrak.ActivityLogParams{EndDate: credY10k}},
		{"EndDate year 0", "EndDate", activtrak.ActivityLogParams{EndDate: credY0}},
		{"UserID -2", "UserID", activtrak.ActivityLogParams{UserID: -2}},
		{"GroupID -7", "GroupID", activtrak.ActivityLogParams{GroupID: -7}},
		{"ComputerID -1", "ComputerID", activtrak.ActivityLogParams{ComputerID: -1}},
		{"GroupID and ComputerID", "", activtrak.ActivityLogParams{GroupID: 1, ComputerID: 2001}},
		{"PageSize -1", "PageSize", activtrak.ActivityLogParams{PageSize: -1}},
		{"PageSize max+1", "PageSize", activtrak.ActivityLogParams{PageSize: math.MaxInt}},
	} {
		p := v.p
		cases = append(cases,
			credBadCase{"log " + v.name, v.field, func(ctx context.Context) error {
				_, err := credWalk(c.ListActivityLog(ctx, &p).All())
				return err
			}},
			credBadCase{"follow " + v.name, v.field, func(ctx context.Context) error {
				_, err := credWalk(c.FollowActivityLog(ctx, &p, time.Second))
				return err
			}})
	}
	for _, iv := range []time.Duration{0, -1, -time.Hour, math.MinInt64} {
		cases = append(cases, credBadCase{"follow interval " + iv.String(), "interval", func(ctx context.Context) error {
			_, err := credWalk(c.FollowActivityLog(ctx, nil, iv))
			return err
		}})
	}
	credRunBad(t, "activtrak", srv.RequestCount, cases)
}

// TestBadInputSDElements: every field of ListActivitiesParams and the id of
// GetActivity.
func TestBadInputSDElements(t *testing.T) {
	t.Parallel()
	srv := sdelementstest.NewServer()
	t.Cleanup(srv.Close)
	c, err := sdelements.NewClient(sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
	if err != nil {
		t.Fatal(err)
	}
	type P = sdelements.ListActivitiesParams
	day := credDay
	var cases []credBadCase
	for _, v := range []struct {
		name, field string
		p           P
	}{
		{"Actor", "Actor", P{Actor: -1}},
		{"User", "User", P{User: -1}},
		{"Application", "Application", P{Application: -2}},
		{"BusinessUnit", "BusinessUnit", P{BusinessUnit: -3}},
		{"Project", "Project", P{Project: math.MinInt64}},
		{"ID", "ID", P{ID: -1}},
		{"ApplicationDesc NUL", "ApplicationDesc", P{ApplicationDesc: "a\x00"}},
		{"BusinessUnitDesc NUL", "BusinessUnitDesc", P{BusinessUnitDesc: "\x00"}},
		{"ProjectDesc NUL", "ProjectDesc", P{ProjectDesc: "p\x00q"}},
		{"Name NUL", "Name", P{Name: "LoggedInActivity\x00"}},
		{"StandardDesc NUL", "StandardDesc", P{StandardDesc: "T21: x\x00"}},
		{"Standard X1", "Standard", P{Standard: "X1"}},
		{"Standard T", "Standard", P{Standard: "T"}},
		{"Standard CT", "Standard", P{Standard: "CT"}},
		{"Standard t21", "Standard", P{Standard: "t21"}},
		{"Standard T2a", "Standard", P{Standard: "T2a"}},
		{"Standard CCT1", "Standard", P{Standard: "CCT1"}},
		{"Standard space", "Standard", P{Standard: " T21"}},
		{"Standard NUL", "Standard", P{Standard: "T21\x00"}},
		{"DateFrom after DateTo", "DateFrom", P{DateFrom: day.Add(time.Microsecond), DateTo: day}},
		{"DateFrom year 0", "DateFrom", P{DateFrom: credY0}},
		{"DateFrom year 10000", "DateFrom", P{DateFrom: credY10k}},
		{"DateTo negative year", "DateTo", P{DateTo: credYNeg}},
		{"DateTo year 10000", "DateTo", P{DateTo: credY10k}},
		{"PageSize -1", "PageSize", P{PageSize: -1}},
		{"PageSize max+1", "PageSize", P{PageSize: sdelements.MaxPageSize + 1}},
		{"PageToken word", "PageToken", P{PageToken: "page-2"}},
		{"PageToken foreign", "PageToken", P{PageToken: "http://127.0.0.2:1/api/v2/activities/?page=2"}},
		{"PageToken other path", "PageToken", P{PageToken: srv.URL + "/api/v2/projects/?page=2"}},
		{"PageToken other path, relative", "PageToken", P{PageToken: "/api/v2/users/?page=2"}},
	} {
		p := v.p
		cases = append(cases, credBadCase{"list " + v.name, v.field, func(ctx context.Context) error {
			_, err := credWalk(c.ListActivities(ctx, &p).All())
			return err
		}})
	}
	for _, id := range []int{0, -1, math.MinInt} {
		cases = append(cases, credBadCase{"GetActivity", "activityID", func(ctx context.Context) error {
			_, err := c.GetActivity(ctx, id)
			return err
		}})
	}
	credRunBad(t, "sdelements", srv.RequestCount, cases)
}

// TestBadInputClose: every field of ActivityReportParams, for the JSON and
// the CSV report.
func TestBadInputClose(t *testing.T) {
	t.Parallel()
	srv := closetest.NewServer()
	t.Cleanup(srv.Close)
	c, err := closeapi.NewClient(closeapi.WithBaseURL(srv.URL+closetest.BasePath), closeapi.WithAPIKey(closetest.APIKey))
	if err != nil {
		t.Fatal(err)
	}
	type P = closeapi.ActivityReportParams
	type R = closeapi.DatetimeRange
	m := []string{closetest.Catalogue()[0].Key}
	ok := func(mod func(*P)) *P {
		p := &P{Type: closeapi.ReportOverview, Metrics: m, RelativeRange: closeapi.RangeToday}
		mod(p)
		return p
	}
	day := credDay
	var cases []credBadCase
	for _, v := range []struct {
		name, field string
		p           *P
	}{
		{"nil", "", nil},
		{"Type empty", "Type", ok(func(p *P) { p.Type = "" })},
		{"Type unknown", "Type", ok(func(p *P) { p.Type = "weekly" })},
		{"Type case", "Type", ok(func(p *P) { p.Type = "Overview" })},
		{"Metrics nil", "Metrics", ok(func(p *P) { p.Metrics = nil })},
		{"Metrics empty item", "Metrics", ok(func(p *P) { p.Metrics = []string{m[0], ""} })},
		{"Metrics space", "Metrics", ok(func(p *P) { p.Metrics = []string{"calls. count"} })},
		{"Metrics control", "Metrics", ok(func(p *P) { p.Metrics = []string{"calls\x00"} })},
		{"Metrics duplicate", "Metrics", ok(func(p *P) { p.Metrics = []string{m[0], m[0]} })},
		{"both ranges", "DatetimeRange", ok(func(p *P) { p.DatetimeRange = &R{Start: day, End: day.Add(time.Hour)} })},
		{"no range", "DatetimeRange", ok(func(p *P) { p.RelativeRange = "" })},
		{"Start zero", "DatetimeRange.Start", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{End: day} })},
		{"End zero", "DatetimeRange.End", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: day} })},
		{"End before Start", "DatetimeRange.End", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: day, End: day.Add(-time.Second)} })},
		{"End equals Start", "DatetimeRange.End", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: day, End: day} })},
		{"Start year 0", "DatetimeRange.Start", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: credY0, End: day} })},
		{"Start negative year", "DatetimeRange.Start", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: credYNeg, End: day} })},
		{"End year 10000", "DatetimeRange.End", ok(func(p *P) { p.RelativeRange, p.DatetimeRange = "", &R{Start: day, End: credY10k} })},
		{"RelativeRange unknown", "RelativeRange", ok(func(p *P) { p.RelativeRange = "last-decade" })},
		{"RelativeRange case", "RelativeRange", ok(func(p *P) { p.RelativeRange = "Today" })},
		{"SavedSearchID no prefix", "SavedSearchID", ok(func(p *P) { p.SavedSearchID = "closetestHotLeads" })},
		{"SavedSearchID prefix only", "SavedSearchID", ok(func(p *P) { p.SavedSearchID = "save_" })},
		{"SavedSearchID dash", "SavedSearchID", ok(func(p *P) { p.SavedSearchID = "save_a-b" })},
		{"SavedSearchID path", "SavedSearchID", ok(func(p *P) { p.SavedSearchID = "save_../x" })},
		{"SavedSearchID space", "SavedSearchID", ok(func(p *P) { p.SavedSearchID = "save_ x" })},
		{"Users empty item", "Users", ok(func(p *P) { p.Users = []string{""} })},
		{"Users space", "Users", ok(func(p *P) { p.Users = []string{"user_1", "user 2"} })},
		{"Users control", "Users", ok(func(p *P) { p.Users = []string{"user\n"} })},
	} {
		p := v.p
		cases = append(cases,
			credBadCase{"report " + v.name, v.field, func(ctx context.Context) error {
				_, err := c.GetActivityReport(ctx, p)
				return err
			}},
			credBadCase{"csv " + v.name, v.field, func(ctx context.Context) error {
				rc, err := c.GetActivityReportCSV(ctx, p)
				if rc != nil {
					rc.Close()
				}
				return err
			}})
	}
	credRunBad(t, "close", srv.RequestCount, cases)
}

// TestBadInputAnalytics: every field of UserActivityParams and both ids.
func TestBadInputAnalytics(t *testing.T) {
	t.Parallel()
	srv := analyticstest.NewServer()
	t.Cleanup(srv.Close)
	c, err := analytics.NewClient(analytics.WithBaseURL(srv.URL+analyticstest.BasePath), analytics.WithToken(analyticstest.Token))
	if err != nil {
		t.Fatal(err)
	}
	type P = analytics.UserActivityParams
	day, next := credDay, credDay.AddDate(0, 0, 1)
	var cases []credBadCase
	for _, v := range []struct {
		name, field string
		p           *P
	}{
		{"nil", "StartDate", nil},
		{"StartDate zero", "StartDate", &P{EndDate: day}},
		{"EndDate zero", "EndDate", &P{StartDate: day}},
		{"EndDate before StartDate", "EndDate", &P{StartDate: next, EndDate: day}},
		{"StartDate year 0", "StartDate", &P{StartDate: credY0, EndDate: day}},
		{"StartDate negative year", "StartDate", &P{StartDate: credYNeg, EndDate: day}},
		{"EndDate year 10000", "EndDate", &P{StartDate: day, EndDate: credY10k}},
		{"Granularity unknown", "Granularity", &P{Granularity: "hourly", StartDate: day, EndDate: next}},
		{"Granularity case", "Granularity", &P{Granularity: "Daily", StartDate: day, EndDate: next}},
		{"Granularity space", "Granularity", &P{Granularity: " daily", StartDate: day, EndDate: next}},
		{"Metric unknown", "Metric", &P{Metric: "page-views", StartDate: day, EndDate: next}},
		{"Metric path", "Metric", &P{Metric: "../activity-count", StartDate: day, EndDate: next}},
		{"quarterly range with a long quarter", "Granularity", &P{Granularity: analytics.GranularityQuarterly,
			StartDate: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)}},
	} {
		p := v.p
		cases = append(cases, credBadCase{v.name, v.field, func(ctx context.Context) error {
			_, err := c.GetUserActivity(ctx, analyticstest.ClientID, analyticstest.UserID, p)
			return err
		}})
	}
	good := &P{StartDate: day, EndDate: next}
	for _, id := range []string{"", "x", analyticstest.UserID + "0", "../" + analyticstest.UserID[3:]} {
		cases = append(cases,
			credBadCase{"clientID " + id, "clientID", func(ctx context.Context) error {
				_, err := c.GetUserActivity(ctx, id, analyticstest.UserID, good)
				return err
			}},
			credBadCase{"userID " + id, "userID", func(ctx context.Context) error {
				_, err := c.GetUserActivity(ctx, analyticstest.ClientID, id, good)
				return err
			}})
	}
	credRunBad(t, "analytics", srv.RequestCount, cases)
}

// credOptCase is one invalid option: NewClient must fail with an error that
// starts with the package name and names the option (or the variable).
type credOptCase struct {
	name string
	err  func() error
	want []string
}

// commonOptions are the options every package has under the same names.
type commonOptions[O any] struct {
	baseURL   func(string) O
	client    func(*http.Client) O
	userAgent func(string) O
	retry     func(core.RetryPolicy) O
	rate      func(float64, int) O
}

// retryPolicy is the layout of every package's RetryPolicy.
type retryPolicy interface {
	~struct {
		MaxRetries             int
		MinBackoff, MaxBackoff time.Duration
		MaxRetryAfter          time.Duration
	}
}

// withRetry adapts a package's WithRetryPolicy to take a core.RetryPolicy.
func withRetry[R retryPolicy, O any](f func(R) O) func(core.RetryPolicy) O {
	return func(p core.RetryPolicy) O { return f(R(p)) }
}

// addCommonBadOptions adds the bad values of the common options of one
// package; nc builds a NewClient call with a valid credential plus opts.
func addCommonBadOptions[O any](add func(string, func() error, ...string), pkg string, nc func(...O) func() error,
	o commonOptions[O], badUA string, badURLs []string, badPolicies []core.RetryPolicy, badRates [][2]float64) {
	for _, u := range badURLs {
		add(pkg+" WithBaseURL "+u, nc(o.baseURL(u)), pkg+": ", "WithBaseURL")
	}
	add(pkg+" WithHTTPClient nil", nc(o.client(nil)), pkg+": ", "WithHTTPClient")
	add(pkg+" WithUserAgent newline", nc(o.userAgent(badUA)), pkg+": ", "WithUserAgent")
	for _, p := range badPolicies {
		add(pkg+" WithRetryPolicy", nc(o.retry(p)), pkg+": ", "WithRetryPolicy")
	}
	for _, r := range badRates {
		add(pkg+" WithRateLimit", nc(o.rate(r[0], int(r[1]))), pkg+": ", "WithRateLimit")
	}
}

// TestBadOptions: an invalid value of every option of every package makes
// NewClient fail with an error naming the package and the option; with no
// credentials at all the error names the option and the variable.
func TestBadOptions(t *testing.T) {
	for _, env := range []string{"CLOSE_API_KEY", "WORKIVA_CLIENT_ID", "WORKIVA_CLIENT_SECRET", "ACTIVTRAK_API_KEY",
		"SDE_API_TOKEN", "SDE_BASE_URL", "ANALYTICS_API_TOKEN", "ANALYTICS_BASE_URL"} {
		t.Setenv(env, "")
	}
	badURLs := []string{"", " ", "ftp://api.example.com", "http://api.example.com", "https://u:p@api.example.com",
		"https://api.example.com/?q=1", "https://api.example.com/#f", "api.example.com", "/relative", "https://", "https://%zz"}
	badPolicies := []core.RetryPolicy{{MaxRetries: -1}, {MaxRetries: 101}, {MaxRetries: 1, MinBackoff: -1},
		{MaxRetries: 1, MaxBackoff: -time.Second}, {MaxRetries: 1, MaxRetryAfter: -1},
		{MaxRetries: 1, MinBackoff: 2 * time.Second, MaxBackoff: time.Second}}
	badRates := [][2]float64{{0, 1}, {-1, 1}, {math.NaN(), 1}, {math.Inf(1), 1}, {1, 0}, {1, -1}}

	var cases []credOptCase
	add := func(name string, err func() error, want ...string) {
		cases = append(cases, credOptCase{name, err, want})
	}
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok-1234"})

	// close
	{
		nc := func(opts ...closeapi.Option) func() error {
			return func() error {
				_, err := closeapi.NewClient(append([]closeapi.Option{closeapi.WithAPIKey("k-1234")}, opts...)...)
				return err
			}
		}
		addCommonBadOptions(add, "close", nc, commonOptions[closeapi.Option]{closeapi.WithBaseURL, closeapi.WithHTTPClient,
			closeapi.WithUserAgent, withRetry(closeapi.WithRetryPolicy), closeapi.WithRateLimit}, "a\nb", badURLs, badPolicies, badRates)
		add("close WithAPIKey empty", func() error { _, err := closeapi.NewClient(closeapi.WithAPIKey("")); return err }, "close: ", "WithAPIKey")
		add("close WithAPIKey blank", func() error { _, err := closeapi.NewClient(closeapi.WithAPIKey(" \t")); return err }, "close: ", "WithAPIKey")
		add("close WithAPIKey colon", func() error { _, err := closeapi.NewClient(closeapi.WithAPIKey("a:b")); return err }, "close: ", "WithAPIKey")
		add("close WithTokenSource nil", func() error { _, err := closeapi.NewClient(closeapi.WithTokenSource(nil)); return err }, "close: ", "WithTokenSource")
		add("close both credentials", nc(closeapi.WithTokenSource(ts)), "close: ", "WithAPIKey", "WithTokenSource")
		add("close no credentials", func() error { _, err := closeapi.NewClient(); return err }, "close: ", "WithAPIKey", "CLOSE_API_KEY")
	}
	// workiva
	{
		nc := func(opts ...workiva.Option) func() error {
			return func() error {
				_, err := workiva.NewClient(append([]workiva.Option{workiva.WithClientCredentials("id", "s-1234")}, opts...)...)
				return err
			}
		}
		addCommonBadOptions(add, "workiva", nc, commonOptions[workiva.Option]{workiva.WithBaseURL, workiva.WithHTTPClient,
			workiva.WithUserAgent, withRetry(workiva.WithRetryPolicy), workiva.WithRateLimit}, "a\rb", badURLs, badPolicies, badRates)
		for _, u := range badURLs {
			if !strings.Contains(u, "?") { // a token URL may have a query
				add("workiva WithTokenURL "+u, nc(workiva.WithTokenURL(u)), "workiva: ", "WithTokenURL")
			}
		}
		for _, n := range []int{-1, 17} {
			add("workiva WithReadAhead", nc(workiva.WithReadAhead(n)), "workiva: ", "WithReadAhead")
		}
		add("workiva WithRegion unknown", nc(workiva.WithRegion("MARS")), "workiva: ", "WithRegion")
		add("workiva WithRegion empty", nc(workiva.WithRegion("")), "workiva: ", "WithRegion")
		add("workiva WithRegion and WithBaseURL", nc(workiva.WithRegion(workiva.RegionEU), workiva.WithBaseURL("https://x.example.com")),
			"workiva: ", "WithRegion", "WithBaseURL")
		add("workiva WithScopes empty", nc(workiva.WithScopes("")), "workiva: ", "WithScopes")
		add("workiva WithScopes space", nc(workiva.WithScopes("activity:read other")), "workiva: ", "WithScopes")
		add("workiva WithClientCredentials no id", func() error { _, err := workiva.NewClient(workiva.WithClientCredentials(" ", "s")); return err },
			"workiva: ", "WithClientCredentials")
		add("workiva WithClientCredentials no secret", func() error { _, err := workiva.NewClient(workiva.WithClientCredentials("id", "")); return err },
			"workiva: ", "WithClientCredentials")
		add("workiva WithTokenSource nil", func() error { _, err := workiva.NewClient(workiva.WithTokenSource(nil)); return err },
			"workiva: ", "WithTokenSource")
		add("workiva both credentials", nc(workiva.WithTokenSource(ts)), "workiva: ", "WithClientCredentials", "WithTokenSource")
		add("workiva no credentials", func() error { _, err := workiva.NewClient(); return err },
			"workiva: ", "WithClientCredentials", "WORKIVA_CLIENT_ID", "WORKIVA_CLIENT_SECRET")
	}
	// activtrak
	{
		nc := func(opts ...activtrak.Option) func() error {
			return func() error {
				_, err := activtrak.NewClient(append([]activtrak.Option{activtrak.WithAPIKey("k-1234")}, opts...)...)
				return err
			}
		}
		addCommonBadOptions(add, "activtrak", nc, commonOptions[activtrak.Option]{activtrak.WithBaseURL, activtrak.WithHTTPClient,
			activtrak.WithUserAgent, withRetry(activtrak.WithRetryPolicy), activtrak.WithRateLimit}, "a\nb", badURLs, badPolicies, badRates)
		for _, n := range []int{-1, 17} {
			add("activtrak WithReadAhead", nc(activtrak.WithReadAhead(n)), "activtrak: ", "WithReadAhead")
		}
		add("activtrak WithRegion unknown", nc(activtrak.WithRegion("mars")), "activtrak: ", "WithRegion")
		add("activtrak WithAPIKey empty", func() error { _, err := activtrak.NewClient(activtrak.WithAPIKey("")); return err }, "activtrak: ", "WithAPIKey")
		add("activtrak no credentials", func() error { _, err := activtrak.NewClient(); return err }, "activtrak: ", "WithAPIKey", "ACTIVTRAK_API_KEY")
	}
	// sdelements
	{
		nc := func(opts ...sdelements.Option) func() error {
			return func() error {
				_, err := sdelements.NewClient(append([]sdelements.Option{sdelements.WithToken("t-1234"),
					sdelements.WithBaseURL("https://sde.example.com")}, opts...)...)
				return err
			}
		}
		addCommonBadOptions(add, "sdelements", nc, commonOptions[sdelements.Option]{sdelements.WithBaseURL, sdelements.WithHTTPClient,
			sdelements.WithUserAgent, withRetry(sdelements.WithRetryPolicy), sdelements.WithRateLimit}, "a\nb", badURLs, badPolicies, badRates)
		for _, n := range []int{-1, 17} {
			add("sdelements WithReadAhead", nc(sdelements.WithReadAhead(n)), "sdelements: ", "WithReadAhead")
		}
		for _, tok := range []string{"", "a b", "a\x00b", "tok\n"} {
			add("sdelements WithToken", nc(sdelements.WithToken(tok)), "sdelements: ", "WithToken")
		}
		add("sdelements no credentials", func() error {
			_, err := sdelements.NewClient(sdelements.WithBaseURL("https://sde.example.com"))
			return err
		}, "sdelements: ", "WithToken", "SDE_API_TOKEN")
		add("sdelements no instance", func() error { _, err := sdelements.NewClient(sdelements.WithToken("t-1234")); return err },
			"sdelements: ", "WithBaseURL", "SDE_BASE_URL")
	}
	// analytics
	{
		nc := func(opts ...analytics.Option) func() error {
			return func() error {
				_, err := analytics.NewClient(append([]analytics.Option{analytics.WithToken("t-1234")}, opts...)...)
				return err
			}
		}
		addCommonBadOptions(add, "analytics", nc, commonOptions[analytics.Option]{analytics.WithBaseURL, analytics.WithHTTPClient,
			analytics.WithUserAgent, withRetry(analytics.WithRetryPolicy), analytics.WithRateLimit}, "a\nb", badURLs, badPolicies, badRates)
		add("analytics WithToken empty", func() error { _, err := analytics.NewClient(analytics.WithToken("")); return err }, "analytics: ", "WithToken")
		add("analytics no credentials", func() error { _, err := analytics.NewClient(); return err },
			"analytics: ", "WithToken", "ANALYTICS_API_TOKEN")
	}
	for _, oc := range cases {
		var err error
		credNoPanic(t, oc.name, nil, func() { err = oc.err() })
		if err == nil {
			t.Errorf("%s: NewClient accepted it", oc.name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, oc.want[0]) {
			t.Errorf("%s: error %q does not start with %q", oc.name, msg, oc.want[0])
		}
		for _, w := range oc.want[1:] {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: error %q does not name %s", oc.name, msg, w)
			}
		}
	}
	t.Logf("%d invalid option values checked", len(cases))
}
