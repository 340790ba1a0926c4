package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// record is one exported record: its JSON value and its CSV row.
type record struct {
	value any
	row   []string
}

// page is one page of records, the token of the page after it and the
// SDK's checkpoint after it (event feeds).
type page struct {
	records    []record
	next       string
	checkpoint string
	total      *int // the list's item count when the API reports one
}

// source is an opened feed.
type source struct {
	columns []string
	// event feeds (Workiva, SD Elements, the ActivTrak log and working
	// hours) never end: pages takes the SDK checkpoint of the last run ("" the
	// first time) and a walk stops when it has caught up; every later run
	// exports what arrived since. Reports take a page token.
	event bool
	pages func(ctx context.Context, state string) iter.Seq2[page, error]
	close func()
}

// feed describes one exportable feed.
type feed struct {
	name, desc string
	open       func(cfg *config) (*source, error)
}

// sdkPage is the SDK's page layout. Every provider package declares its own
// Page type (so that go doc shows its fields) with these same fields, so one
// adapter serves them all: P is workiva.Page[T], activtrak.Page[T], ...
type sdkPage[T any] interface {
	~struct {
		Items         []T
		NextPageToken string
		Total         *int
		Checkpoint    string
	}
}

func adapt[T any, P sdkPage[T]](seq iter.Seq2[*P, error], conv func(T) record) iter.Seq2[page, error] {
	return func(yield func(page, error) bool) {
		for pp, err := range seq {
			if err != nil {
				yield(page{}, err)
				return
			}
			p := workiva.Page[T](*pp)
			out := page{next: p.NextPageToken, checkpoint: p.Checkpoint, total: p.Total, records: make([]record, len(p.Items))}
			for i, it := range p.Items {
				out.records[i] = conv(it)
			}
			if !yield(out, nil) {
				return
			}
		}
	}
}

// single wraps a one-request operation as a one-page feed.
func single(fetch func(ctx context.Context) ([]record, error)) func(context.Context, string) iter.Seq2[page, error] {
	return func(ctx context.Context, token string) iter.Seq2[page, error] {
		return func(yield func(page, error) bool) {
			if token != "" {
				return // the only page was exported already
			}
			recs, err := fetch(ctx)
			if err != nil {
				yield(page{}, err)
				return
			}
			yield(page{records: recs}, nil)
		}
	}
}

var feeds = []feed{
	{"workiva-org", "Workiva organization activities (-org, -filter, -order-by)", openWorkiva},
	{"workiva-workspace", "Workiva workspace activities (-org, -workspace, -filter, -order-by)", openWorkiva},
	{"activtrak-log", "ActivTrak activity log, cursor feed (-from, -to optional)", openActivTrakLog},
	{"activtrak-hours-users", "ActivTrak working hours by user (-from, -to)", openActivTrakHours},
	{"activtrak-hours-computers", "ActivTrak working hours by computer (-from, -to)", openActivTrakHours},
	{"sdelements", "SD Elements activities (-from, -to optional, -project)", openSDElements},
	{"close-overview", "Close activity report rows by period (-metrics, -range or -from/-to)", openClose},
	{"close-comparison", "Close activity report rows by user (-metrics, -range or -from/-to)", openClose},
	{"analytics", "Analytics user activity series (-client, -user, -from, -to, -granularity, -metric)", openAnalytics},
	{"analytics-device", "Analytics device activity series (-client, -device, -from, -to, -granularity, -metric)", openAnalytics},
	{"analytics-app", "Analytics app activity series, active time in ms (-client, -app, -from, -to, -granularity, -metric)", openAnalytics},
	{"analytics-utilization", "Analytics app utilization list, cursor paged (-client, -from, -to, -granularity)", openAnalyticsUtilization},
}

func findFeed(name string) (*feed, error) {
	var names []string
	for i := range feeds {
		if feeds[i].name == name {
			return &feeds[i], nil
		}
		names = append(names, feeds[i].name)
	}
	return nil, fmt.Errorf("unknown -feed %q; one of: %s", name, strings.Join(names, ", "))
}

func tsOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

func openWorkiva(cfg *config) (*source, error) {
	opts := cfg.commonWorkiva()
	cleanup := func() {}
	org := cfg.org
	if cfg.offline {
		srv := workivatest.NewServer(workivatest.WithActivities(cfg.offlineItems))
		newest := workivatest.DefaultStart
		if cfg.offlineItems > 0 {
			newest = srv.ActivityTime(cfg.offlineItems - 1)
		}
		for _, night := range offlineNights(cfg.offlineNights, newest) {
			srv.AppendActivities(night...)
		}
		cfg.injectFaults(srv.FailRandomly)
		opts = append(opts, workiva.WithBaseURL(srv.URL),
			workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
		cleanup = srv.Close
		if org == "" {
			org = workivatest.OrganizationID
		}
		if cfg.workspace == "" && cfg.feed == "workiva-workspace" {
			cfg.workspace = workivatest.WorkspaceA
		}
	}
	c, err := workiva.NewClient(opts...)
	if err != nil {
		cleanup()
		return nil, err
	}
	conv := func(a workiva.Activity) record {
		ws := ""
		if a.Workspace != nil {
			ws = a.Workspace.ID
		}
		return record{value: a, row: []string{a.ID, tsOrEmpty(a.ActivityDateTime), a.Action.Alias, a.Performer.ID,
			a.Performer.DisplayName, string(a.Outcome), ws, a.Summary}}
	}
	return &source{
		event:   true,
		columns: []string{"id", "activityDateTime", "action", "performerId", "performer", "outcome", "workspaceId", "summary"},
		pages: func(ctx context.Context, state string) iter.Seq2[page, error] {
			p := &workiva.ListActivitiesParams{Filter: cfg.filter, OrderBy: cfg.orderBy, PageSize: cfg.pageSize, Checkpoint: state}
			if cfg.feed == "workiva-workspace" {
				return adapt(c.ListWorkspaceActivities(ctx, org, cfg.workspace, p).Pages(), conv)
			}
			return adapt(c.ListOrganizationActivities(ctx, org, p).Pages(), conv)
		},
		close: cleanup,
	}, nil
}

func (cfg *config) commonWorkiva() []workiva.Option {
	return []workiva.Option{workiva.WithLogger(cfg.logger), workiva.WithEventHook(cfg.stats.hook), workiva.WithUserAgent("activity-go-export"),
		workiva.WithRetryPolicy(cfg.retry), workiva.WithReadAhead(cfg.readAhead)}
}

func openActivTrakClient(cfg *config) (*activtrak.Client, func(), error) {
	opts := []activtrak.Option{activtrak.WithLogger(cfg.logger), activtrak.WithEventHook(cfg.stats.hook), activtrak.WithUserAgent("activity-go-export"),
		activtrak.WithRetryPolicy(activtrak.RetryPolicy(cfg.retry)), activtrak.WithReadAhead(cfg.readAhead)}
	cleanup := func() {}
	if cfg.offline {
		days := 20
		perDay := (cfg.offlineItems + days - 1) / days
		srv := activtraktest.NewServer(activtraktest.WithDays(days), activtraktest.WithRecordsPerDay(max(perDay, 1)))
		for _, night := range offlineNights(cfg.offlineNights, srv.EndDate().Add(12*time.Hour)) {
			var recs []activtraktest.LogRecord
			for _, at := range night {
				recs = append(recs, activtraktest.LogRecord{Date: at, UserID: 1001, User: "user01", Computer: "PC-001", ComputerID: 2001})
			}
			srv.Append(recs...)
		}
		cfg.injectFaults(srv.FailRandomly)
		opts = append(opts, activtrak.WithBaseURL(srv.URL), activtrak.WithAPIKey(activtraktest.APIKey))
		cleanup = srv.Close
		if cfg.from.IsZero() {
			cfg.from = srv.StartDate()
		}
		if cfg.to.IsZero() && cfg.feed != "activtrak-log" {
			cfg.to = srv.EndDate()
		}
	}
	c, err := activtrak.NewClient(opts...)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return c, cleanup, nil
}

func openActivTrakLog(cfg *config) (*source, error) {
	c, cleanup, err := openActivTrakClient(cfg)
	if err != nil {
		return nil, err
	}
	conv := func(e activtrak.ActivityLogEntry) record {
		return record{value: e, row: []string{strconv.FormatInt(e.LogID, 10), tsOrEmpty(e.Time), e.User, e.Computer,
			e.Executable, e.Description, e.URL, strconv.FormatFloat(e.Duration, 'f', -1, 64)}}
	}
	return &source{
		event:   true,
		columns: []string{"logId", "date", "user", "computer", "executable", "description", "url", "duration"},
		pages: func(ctx context.Context, state string) iter.Seq2[page, error] {
			p := &activtrak.ActivityLogParams{StartDate: cfg.from, EndDate: cfg.to, PageSize: cfg.pageSize, Checkpoint: state}
			return adapt(c.ListActivityLog(ctx, p).Pages(), conv)
		},
		close: cleanup,
	}, nil
}

func openActivTrakHours(cfg *config) (*source, error) {
	c, cleanup, err := openActivTrakClient(cfg)
	if err != nil {
		return nil, err
	}
	conv := func(w activtrak.WorkingHours) record {
		f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		return record{value: w, row: []string{tsOrEmpty(w.Date), strconv.FormatInt(w.UserID, 10), strconv.FormatInt(w.ComputerID, 10),
			tsOrEmpty(w.FirstActivity), tsOrEmpty(w.LastActivity), f(w.ActiveTime.Total), f(w.PassiveTime.Total), f(w.TotalTime)}}
	}
	return &source{
		event:   true,
		columns: []string{"date", "userId", "computerId", "firstActivity", "lastActivity", "activeTotal", "passiveTotal", "totalTime"},
		pages: func(ctx context.Context, state string) iter.Seq2[page, error] {
			to := cfg.to
			if to.IsZero() {
				to = time.Now() // nightly: up to the last final day
			}
			p := &activtrak.WorkingHoursParams{From: cfg.from, To: to, PageSize: cfg.pageSize, Checkpoint: state}
			if cfg.feed == "activtrak-hours-computers" {
				return adapt(c.ListComputerWorkingHours(ctx, p).Pages(), conv)
			}
			return adapt(c.ListUserWorkingHours(ctx, p).Pages(), conv)
		},
		close: cleanup,
	}, nil
}

func openSDElements(cfg *config) (*source, error) {
	opts := []sdelements.Option{sdelements.WithLogger(cfg.logger), sdelements.WithEventHook(cfg.stats.hook), sdelements.WithUserAgent("activity-go-export"),
		sdelements.WithRetryPolicy(sdelements.RetryPolicy(cfg.retry)), sdelements.WithReadAhead(cfg.readAhead)}
	cleanup := func() {}
	if cfg.offline {
		srv := sdelementstest.NewServer(sdelementstest.WithActivities(cfg.offlineItems))
		for _, night := range offlineNights(cfg.offlineNights, srv.Date(int64(max(cfg.offlineItems, 1)))) {
			srv.AppendActivities(night...)
		}
		cfg.injectFaults(srv.FailRandomly)
		opts = append(opts, sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
		cleanup = srv.Close
	}
	c, err := sdelements.NewClient(opts...)
	if err != nil {
		cleanup()
		return nil, err
	}
	conv := func(a sdelements.Activity) record {
		actor := ""
		if a.Actor != nil {
			actor = strconv.FormatInt(*a.Actor, 10)
		}
		return record{value: a, row: []string{strconv.FormatInt(a.ID, 10), tsOrEmpty(a.Date), a.Name, actor, a.Text, string(a.LogLevel)}}
	}
	return &source{
		event:   true,
		columns: []string{"id", "date", "name", "actor", "text", "logLevel"},
		pages: func(ctx context.Context, state string) iter.Seq2[page, error] {
			p := &sdelements.ListActivitiesParams{DateFrom: cfg.from, DateTo: cfg.to, Project: cfg.project, PageSize: cfg.pageSize, Checkpoint: state}
			return adapt(c.ListActivities(ctx, p).Pages(), conv)
		},
		close: cleanup,
	}, nil
}

func openClose(cfg *config) (*source, error) {
	opts := []closeapi.Option{closeapi.WithLogger(cfg.logger), closeapi.WithEventHook(cfg.stats.hook), closeapi.WithUserAgent("activity-go-export"), closeapi.WithRetryPolicy(closeapi.RetryPolicy(cfg.retry))}
	cleanup := func() {}
	if cfg.offline {
		srv := closetest.NewServer()
		cfg.injectFaults(srv.FailRandomly)
		opts = append(opts, closeapi.WithBaseURL(srv.URL), closeapi.WithAPIKey(closetest.APIKey))
		cleanup = srv.Close
		if cfg.from.IsZero() && cfg.relRange == "" {
			cfg.from, cfg.to = srv.Anchor().AddDate(0, 0, -60), srv.Anchor()
		}
	}
	c, err := closeapi.NewClient(opts...)
	if err != nil {
		cleanup()
		return nil, err
	}
	params := &closeapi.ActivityReportParams{Type: closeapi.ReportOverview, Metrics: cfg.metrics, RelativeRange: closeapi.RelativeRange(cfg.relRange)}
	if cfg.feed == "close-comparison" {
		params.Type = closeapi.ReportComparison
	}
	if !cfg.from.IsZero() {
		params.DatetimeRange = &closeapi.DatetimeRange{Start: cfg.from, End: cfg.to}
	}
	cols := append([]string{"datetime", "userId", "user"}, cfg.metrics...)
	return &source{
		columns: cols,
		pages: single(func(ctx context.Context) ([]record, error) {
			rep, err := c.GetActivityReport(ctx, params)
			if err != nil {
				return nil, err
			}
			recs := make([]record, len(rep.Rows))
			for i, r := range rep.Rows {
				row := []string{tsOrEmpty(r.Datetime), r.UserID, rep.UserDisplayName(r.UserID)}
				for _, m := range cfg.metrics {
					if v, ok := r.Values[m]; ok {
						row = append(row, strconv.FormatFloat(v, 'f', -1, 64))
					} else {
						row = append(row, "")
					}
				}
				val := map[string]any{"values": r.Values}
				if !r.Datetime.IsZero() {
					val["datetime"] = r.Datetime
				}
				if r.UserID != "" {
					val["user_id"], val["user"] = r.UserID, rep.UserDisplayName(r.UserID)
				}
				recs[i] = record{value: val, row: row}
			}
			return recs, nil
		}),
		close: cleanup,
	}, nil
}

// openAnalyticsClient returns an analytics client, against the fake with
// -offline (then the fake's ids and a default 2025 range fill in what the
// flags leave out).
func openAnalyticsClient(cfg *config) (*analytics.Client, func(), error) {
	opts := []analytics.Option{analytics.WithLogger(cfg.logger), analytics.WithEventHook(cfg.stats.hook), analytics.WithUserAgent("activity-go-export"), analytics.WithRetryPolicy(analytics.RetryPolicy(cfg.retry))}
	cleanup := func() {}
	if cfg.offline {
		srv := analyticstest.NewServer()
		cfg.injectFaults(srv.FailRandomly)
		opts = append(opts, analytics.WithBaseURL(srv.URL), analytics.WithToken(analyticstest.Token))
		cleanup = srv.Close
		if cfg.client == "" {
			cfg.client = analyticstest.ClientID
			if cfg.user == "" {
				cfg.user = analyticstest.UserID
			}
			if cfg.device == "" {
				cfg.device = analyticstest.DeviceID
			}
			if cfg.app == "" {
				cfg.app = analyticstest.AppID
			}
		}
		if cfg.from.IsZero() {
			cfg.from = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			cfg.to = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
		}
	}
	c, err := analytics.NewClient(opts...)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return c, cleanup, nil
}

// openAnalytics exports a user, device or app time series: one record per
// data point.
func openAnalytics(cfg *config) (*source, error) {
	c, cleanup, err := openAnalyticsClient(cfg)
	if err != nil {
		return nil, err
	}
	g := analytics.Granularity(cfg.granularity)
	get := func(ctx context.Context) (*analytics.ActivityTimeSeries, error) {
		switch cfg.feed {
		case "analytics-device":
			return c.GetDeviceActivity(ctx, cfg.client, cfg.device,
				&analytics.DeviceActivityParams{Granularity: g, StartDate: cfg.from, EndDate: cfg.to, Metric: cfg.metric})
		case "analytics-app":
			return c.GetAppActivity(ctx, cfg.client, cfg.app,
				&analytics.AppActivityParams{Granularity: g, StartDate: cfg.from, EndDate: cfg.to, Metric: cfg.metric})
		}
		return c.GetUserActivity(ctx, cfg.client, cfg.user,
			&analytics.UserActivityParams{Granularity: g, StartDate: cfg.from, EndDate: cfg.to, Metric: cfg.metric})
	}
	return &source{
		columns: []string{"date", "value"},
		pages: single(func(ctx context.Context) ([]record, error) {
			ts, err := get(ctx)
			if err != nil {
				return nil, err
			}
			recs := make([]record, len(ts.Data))
			for i, d := range ts.Data {
				recs[i] = record{value: map[string]any{"metric": ts.Metric, "date": d.Date.Format(time.DateOnly), "value": d.Value},
					row: []string{d.Date.Format(time.DateOnly), strconv.FormatFloat(d.Value, 'f', -1, 64)}}
			}
			return recs, nil
		}),
		close: cleanup,
	}, nil
}

// offlineNights returns, for each of n nights after the offline fake's
// newest record, the times of the records it adds: 40 new ones (a minute
// apart after the previous night's) and 10 late ones (stamped up to 50
// minutes before the previous night's newest, within the SDK's default
// lookbacks). Working hours get none: the fake's days are all final.
func offlineNights(n int, newest time.Time) [][]time.Time {
	var out [][]time.Time
	for range n {
		var night []time.Time
		for j := 1; j <= 40; j++ {
			night = append(night, newest.Add(time.Duration(j)*time.Minute))
		}
		for j := 1; j <= 10; j++ {
			night = append(night, newest.Add(-time.Duration(5*j)*time.Minute))
		}
		out = append(out, night)
		newest = newest.Add(40 * time.Minute)
	}
	return out
}

// openAnalyticsUtilization exports the app utilization list, one record per
// app, resumable from the list's cursor.
func openAnalyticsUtilization(cfg *config) (*source, error) {
	c, cleanup, err := openAnalyticsClient(cfg)
	if err != nil {
		return nil, err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	conv := func(u analytics.AppUtilization) record {
		return record{value: u, row: []string{u.App.ID, u.App.Name, u.App.Vendor.Name, f(u.UniqueUsers.Value), f(u.ActiveTimeMS.Value),
			f(u.AvgTimeMSPerDay.Value), f(u.SessionCount.Value), u.UsageLevel, u.RiskLevel}}
	}
	return &source{
		columns: []string{"appId", "name", "vendor", "uniqueUsers", "activeTimeMs", "avgTimeMsPerDay", "sessionCount", "usageLevel", "riskLevel"},
		pages: func(ctx context.Context, token string) iter.Seq2[page, error] {
			p := &analytics.AppUtilizationParams{Granularity: analytics.Granularity(cfg.granularity), StartDate: cfg.from, EndDate: cfg.to,
				PageSize: cfg.pageSize, PageToken: token}
			return adapt(c.ListAppUtilization(ctx, cfg.client, p).Pages(), conv)
		},
		close: cleanup,
	}, nil
}

// feedKey identifies a feed and the parameters that define its records, so a
// checkpoint is only resumed by the same export.
func (cfg *config) feedKey() string {
	parts := map[string]string{
		"feed": cfg.feed, "org": cfg.org, "workspace": cfg.workspace, "filter": cfg.filter, "orderBy": cfg.orderBy,
		"from": tsOrEmpty(cfg.from), "to": tsOrEmpty(cfg.to), "project": strconv.FormatInt(cfg.project, 10),
		"metrics": strings.Join(cfg.metrics, ","), "range": cfg.relRange, "client": cfg.client, "user": cfg.user,
		"device": cfg.device, "app": cfg.app, "metric": cfg.metric,
		"granularity": cfg.granularity, "pageSize": strconv.Itoa(cfg.pageSize), "offline": strconv.FormatBool(cfg.offline),
	}
	keys := make([]string, 0, len(parts))
	for k := range parts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b, _ := json.Marshal(func() [][2]string {
		var out [][2]string
		for _, k := range keys {
			if parts[k] != "" && parts[k] != "0" {
				out = append(out, [2]string{k, parts[k]})
			}
		}
		return out
	}())
	return string(b)
}

// errUsage marks a command-line mistake (exit status 2).
var errUsage = errors.New("usage")
