package activtrak_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
)

func raws(ss ...string) []json.RawMessage {
	out := make([]json.RawMessage, len(ss))
	for i, s := range ss {
		out[i] = json.RawMessage(`"` + s + `"`)
	}
	return out
}

func TestListUserWorkingHoursRequestAndFields(t *testing.T) {
	t.Parallel()
	srv := newEAFake(t)
	c := newEAClient(t, srv, activtrak.WithUserAgent("wh-test/1"))
	// From in another zone: its own calendar date is sent.
	from := time.Date(2024, 6, 3, 23, 30, 0, 0, time.FixedZone("X", -5*3600))
	pager := c.ListUserWorkingHours(testCtx(t), &activtrak.WorkingHoursParams{From: from, To: day(2024, 6, 4), PageSize: 3})
	var first *activtrak.Page[activtrak.WorkingHours]
	for p, err := range pager.Pages() {
		require.NoError(t, err)
		first = p
		break
	}
	require.NotNil(t, first)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, "/reports/v2/workinghours/users", r.RawPath)
	assert.Equal(t, "from=2024-06-03&page=1&pageSize=3&to=2024-06-04", r.RawQuery)
	assert.Equal(t, "Bearer "+activtraktest.APIKey, r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "activity-go/"), r.Header.Get("User-Agent"))
	assert.True(t, strings.HasSuffix(r.Header.Get("User-Agent"), " wh-test/1"), r.Header.Get("User-Agent"))

	require.Len(t, first.Items, 3)
	assert.Equal(t, "2", first.NextPageToken)
	want := activtrak.WorkingHours{
		Date:            day(2024, 6, 3),
		ComputerID:      2001,
		Groups:          raws("Group 1"),
		Users:           raws("user01"),
		FirstActivity:   time.Date(2024, 6, 3, 8, 0, 0, 0, time.UTC),
		LastActivity:    time.Date(2024, 6, 3, 17, 0, 0, 250e6, time.UTC),
		LastActivityLog: time.Date(2024, 6, 3, 17, 1, 0, 250e6, time.UTC),
		ActiveTime:      activtrak.TimeBreakdown{Productive: 14400, Unproductive: 1800, Undefined: 600, Total: 16800},
		PassiveTime:     activtrak.TimeBreakdown{Productive: 900, Unproductive: 300, Undefined: 120, Total: 1320},
		TotalTime:       18120,
	}
	assert.Equal(t, want, first.Items[0])
}

func TestListComputerWorkingHoursFields(t *testing.T) {
	t.Parallel()
	srv := newEAFake(t)
	c := newEAClient(t, srv)
	rows, err := c.ListComputerWorkingHours(testCtx(t), &activtrak.WorkingHoursParams{
		From: day(2024, 6, 4), To: day(2024, 6, 4), ComputerID: 2003}).Collect()
	require.NoError(t, err)
	r := srv.Requests()[0]
	assert.Equal(t, "/reports/v2/workinghours/computers", r.RawPath)
	assert.Equal(t, "computerId=2003&from=2024-06-04&page=1&pageSize=1000&to=2024-06-04", r.RawQuery)
	require.Len(t, rows, 1)
	want := activtrak.WorkingHours{
		Date:            day(2024, 6, 4),
		UserID:          1003,
		Groups:          raws("Group 1"),
		Computers:       raws("PC-003"),
		FirstActivity:   time.Date(2024, 6, 4, 8, 5, 18, 0, time.UTC),
		LastActivity:    time.Date(2024, 6, 4, 17, 20, 12, 250e6, time.UTC),
		LastActivityLog: time.Date(2024, 6, 4, 17, 21, 12, 250e6, time.UTC),
		ActiveTime:      activtrak.TimeBreakdown{Productive: 18365, Unproductive: 2645, Undefined: 1055, Total: 22065},
		PassiveTime:     activtrak.TimeBreakdown{Productive: 1225, Unproductive: 495, Undefined: 185, Total: 1905},
		TotalTime:       23970,
	}
	assert.Equal(t, want, rows[0])
}

// rowKey names a row by day and user (users endpoint) or computer.
func rowKey(w activtrak.WorkingHours) string {
	var who string
	switch {
	case len(w.Computers) > 0:
		who = string(w.Computers[0])
	case len(w.Users) > 0:
		who = string(w.Users[0])
	}
	return w.Date.Format("01-02") + "/" + strings.Trim(who, `"`)
}

func expectedRows(days []string, names []string) []string {
	var out []string
	for _, d := range days {
		for _, n := range names {
			out = append(out, d+"/"+n)
		}
	}
	return out
}

func TestWorkingHoursCompleteWalks(t *testing.T) {
	t.Parallel()
	days := []string{"06-03", "06-04", "06-05", "06-06", "06-07", "06-08", "06-09"}
	users := []string{"user01", "user02", "user03", "user04", "user05"}
	pcs := []string{"PC-001", "PC-002", "PC-003", "PC-004", "PC-005"}
	for _, tc := range []struct {
		name     string
		computer bool
		size     int
		requests int
		want     []string
	}{
		// 35 rows: 4 pages of 10, the last short (5 rows) ends the walk.
		{"users by 10", false, 10, 4, expectedRows(days, users)},
		// 35 rows in pages of 7: page 5 reaches the total, no 6th request.
		{"computers by 7", true, 7, 5, expectedRows(days, pcs)},
		{"users in one page", false, 0, 1, expectedRows(days, users)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newEAFake(t)
			c := newEAClient(t, srv)
			params := &activtrak.WorkingHoursParams{From: day(2024, 6, 1), To: day(2024, 6, 30), PageSize: tc.size}
			list := c.ListUserWorkingHours
			if tc.computer {
				list = c.ListComputerWorkingHours
			}
			var got, tokens []string
			for p, err := range list(testCtx(t), params).Pages() {
				require.NoError(t, err)
				for _, it := range p.Items {
					got = append(got, rowKey(it))
				}
				tokens = append(tokens, p.NextPageToken)
				if assert.NotNil(t, p.Total, "the answer's total") {
					assert.Equal(t, len(tc.want), *p.Total)
				}
			}
			assert.Equal(t, tc.want, got)
			assert.Len(t, srv.Requests(), tc.requests)
			assert.Equal(t, "", tokens[len(tokens)-1])
			for i, r := range srv.Requests() {
				assert.Equal(t, fmt.Sprint(i+1), r.Query.Get("page"))
			}
		})
	}
}

func TestWorkingHoursResumeFromToken(t *testing.T) {
	t.Parallel()
	srv := newEAFake(t)
	c := newEAClient(t, srv)
	params := activtrak.WorkingHoursParams{From: day(2024, 6, 3), To: day(2024, 6, 4), PageSize: 4}
	var token string
	var firstPart []string
	for p, err := range c.ListUserWorkingHours(testCtx(t), &params).Pages() {
		require.NoError(t, err)
		for _, it := range p.Items {
			firstPart = append(firstPart, rowKey(it))
		}
		token = p.NextPageToken
		break
	}
	require.Equal(t, "2", token)
	resumed := params
	resumed.PageToken = token
	rows, err := c.ListUserWorkingHours(testCtx(t), &resumed).Collect()
	require.NoError(t, err)
	var rest []string
	for _, it := range rows {
		rest = append(rest, rowKey(it))
	}
	all := expectedRows([]string{"06-03", "06-04"}, []string{"user01", "user02", "user03", "user04", "user05"})
	assert.Equal(t, all, append(firstPart, rest...))
	assert.Equal(t, "2", srv.Requests()[1].Query.Get("page"))
}

func TestWorkingHoursFilters(t *testing.T) {
	t.Parallel()
	srv := newEAFake(t, activtraktest.WithDays(2))
	c := newEAClient(t, srv)
	for _, tc := range []struct {
		name   string
		params activtrak.WorkingHoursParams
		query  string
		want   []string
	}{
		{"user", activtrak.WorkingHoursParams{UserID: 1002}, "userId=1002",
			[]string{"06-03/user02", "06-04/user02"}},
		{"all users", activtrak.WorkingHoursParams{UserID: -1}, "userId=-1",
			expectedRows([]string{"06-03", "06-04"}, []string{"user01", "user02", "user03", "user04", "user05"})},
		{"group", activtrak.WorkingHoursParams{GroupID: 302}, "groupId=302",
			[]string{"06-03/user02", "06-03/user04", "06-04/user02", "06-04/user04"}},
		{"computer", activtrak.WorkingHoursParams{ComputerID: 2005}, "computerId=2005",
			[]string{"06-03/user05", "06-04/user05"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.params
			p.From, p.To = day(2024, 6, 3), day(2024, 6, 4)
			rows, err := c.ListUserWorkingHours(testCtx(t), &p).Collect()
			require.NoError(t, err)
			var got []string
			for _, r := range rows {
				got = append(got, rowKey(r))
			}
			assert.Equal(t, tc.want, got)
			last, _ := srv.LastRequest()
			assert.Contains(t, last.RawQuery, tc.query)
		})
	}
}

func TestWorkingHoursValidation(t *testing.T) {
	t.Parallel()
	from, to := day(2024, 6, 3), day(2024, 6, 9)
	for _, tc := range []struct {
		name   string
		params *activtrak.WorkingHoursParams
		field  string
		msg    string
	}{
		{"nil params", nil, "", "activtrak: WorkingHoursParams: params are required: set From and To"},
		{"no from", &activtrak.WorkingHoursParams{To: to}, "From", "activtrak: WorkingHoursParams.From: is required"},
		{"no to", &activtrak.WorkingHoursParams{From: from}, "To", "activtrak: WorkingHoursParams.To: is required"},
		{"to before from", &activtrak.WorkingHoursParams{From: to, To: from}, "To",
			"activtrak: WorkingHoursParams.To: must not be before From (2024-06-03 is before 2024-06-09)"},
		{"page size too big", &activtrak.WorkingHoursParams{From: from, To: to, PageSize: 5000}, "PageSize",
			"activtrak: WorkingHoursParams.PageSize: must be between 1 and 1000, or 0 for 1000 (got 5000)"},
		{"page size negative", &activtrak.WorkingHoursParams{From: from, To: to, PageSize: -1}, "PageSize", "(got -1)"},
		{"two filters", &activtrak.WorkingHoursParams{From: from, To: to, UserID: 1, GroupID: 2}, "",
			"activtrak: WorkingHoursParams: set at most one of UserID, GroupID, ComputerID (got 2)"},
		{"three filters", &activtrak.WorkingHoursParams{From: from, To: to, UserID: -1, GroupID: 2, ComputerID: 3}, "", "(got 3)"},
		{"bad user id", &activtrak.WorkingHoursParams{From: from, To: to, UserID: -2}, "UserID",
			"must be a positive id, or -1 for all users (got -2)"},
		{"bad group id", &activtrak.WorkingHoursParams{From: from, To: to, GroupID: -5}, "GroupID", "must be a positive id (got -5)"},
		{"bad computer id", &activtrak.WorkingHoursParams{From: from, To: to, ComputerID: -1}, "ComputerID", "(got -1)"},
		{"bad token", &activtrak.WorkingHoursParams{From: from, To: to, PageToken: "abc"}, "PageToken", `(got "abc")`},
		{"zero token", &activtrak.WorkingHoursParams{From: from, To: to, PageToken: "0"}, "PageToken", `(got "0")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newEAFake(t)
			c := newEAClient(t, srv)
			for _, list := range []func() *activtrak.Pager[activtrak.WorkingHours]{
				func() *activtrak.Pager[activtrak.WorkingHours] { return c.ListUserWorkingHours(testCtx(t), tc.params) },
				func() *activtrak.Pager[activtrak.WorkingHours] {
					return c.ListComputerWorkingHours(testCtx(t), tc.params)
				},
			} {
				items, err := list().Collect()
				assert.Empty(t, items)
				var ve *activtrak.ValidationError
				require.True(t, errors.As(err, &ve), "got %v", err)
				assert.Equal(t, "activtrak", ve.Provider)
				assert.Equal(t, "WorkingHoursParams", ve.Params)
				assert.Equal(t, tc.field, ve.Field)
				assert.Contains(t, err.Error(), tc.msg)
			}
			assert.Zero(t, srv.RequestCount(), "no request may be sent")
		})
	}
}

func TestWorkingHoursOutsideDataIsEmpty(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	c := newClient(t, srv)
	rows, err := c.ListUserWorkingHours(testCtx(t), &activtrak.WorkingHoursParams{From: day(2023, 1, 1), To: day(2023, 1, 31)}).Collect()
	require.NoError(t, err)
	assert.Empty(t, rows)
	assert.Len(t, srv.Requests(), 1)
}
