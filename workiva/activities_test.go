package workiva_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// expected builds what activity i of a default fake must decode to, from the
// fake's documented generation rules.
func expected(srv *workivatest.Server, i int) workiva.Activity {
	acts := workivatest.Actions()
	act := acts[(7*i)%len(acts)]
	perf := workivatest.PerformerIDs()[(i/3)%5]
	user := workivatest.UserIDs()[(3*i)%7]
	return workiva.Activity{
		ID:               workivatest.ActivityID(i),
		Action:           workiva.ActivityAction{ID: act.ID, Alias: act.Alias, Name: act.Name, Category: act.Category, Deprecated: act.Deprecated},
		ActivityDateTime: srv.ActivityTime(i),
		Performer:        workiva.Performer{ID: perf},
		Targets:          []workiva.Target{{ID: user}},
	}
}

func TestGetActivityDecodesEveryField(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	i := 30 // i%5 == 0 (IP sent with a newline), i%6 == 0 (attachment), workspace C
	id := workivatest.ActivityID(i)
	require.True(t, strings.ContainsAny(id, "+/="), "fixture ids must need escaping: %s", id)

	a, err := c.GetActivity(context.Background(), id)
	require.NoError(t, err)

	want := expected(srv, i)
	assert.Equal(t, id, a.ID)
	assert.Equal(t, want.Action, a.Action)
	assert.True(t, a.ActivityDateTime.Equal(time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC)), a.ActivityDateTime)
	assert.Equal(t, workiva.Performer{ID: want.Performer.ID, Type: "com.workiva.iam.principal.user",
		DisplayName: "Adam Admin", UniqueName: "adam_admin@example.com", IPAddress: "10.0.0.31"}, a.Performer)
	assert.Equal(t, []workiva.Target{
		{ID: want.Targets[0].ID, Type: "com.workiva.administration.user", DisplayName: "Uma Auditor", UniqueName: "uma_auditor"},
		{ID: workivatest.WorkspaceC, Type: "com.workiva.administration.workspace", DisplayName: "Annual Report 2026"},
	}, a.Targets)
	assert.Equal(t, "Adam Admin: "+want.Action.Name+" (Uma Auditor) in workspace 'Annual Report 2026'", a.Summary)
	assert.Equal(t, workiva.OutcomeSuccess, a.Outcome)
	assert.Equal(t, &workiva.Organization{ID: workivatest.OrganizationID, Name: workivatest.OrganizationName}, a.Organization)
	assert.Equal(t, &workiva.Workspace{ID: workivatest.WorkspaceC, Name: "Annual Report 2026"}, a.Workspace)
	assert.Equal(t, []string{fmt.Sprintf("correlationId:%016x", uint64(i)*0x9e3779b97f4a7c15), "eventId:ev-30"}, a.Tags)
	require.Len(t, a.Attachments, 1)
	assert.JSONEq(t, `{"entityChanges":{"propertyName":"displayName","new":"Name 30","old":"Name 29"}}`, string(a.Attachments[0]))

	// The wire request: one escaped segment, the version header, a bearer token.
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, "GET", r.Method)
	assert.Equal(t, "/activities/"+strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(id), r.RawPath)
	assert.Equal(t, "/activities/"+id, r.Path)
	assert.Equal(t, "2026-01-01", r.Header.Get("X-Version"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.True(t, strings.HasPrefix(r.Header.Get("Authorization"), "Bearer wkv-fake-at-"), r.Header.Get("Authorization"))
	assert.Contains(t, r.Header.Get("User-Agent"), "activity-go/")
	assert.Empty(t, r.RawQuery)
}

func TestGetActivityOrganizationLevelAndOutcomes(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	for i, want := range map[int]workiva.Outcome{7: workiva.OutcomeFailure, 8: workiva.OutcomePending, 9: workiva.OutcomeUnknown, 3: workiva.OutcomeSuccess} {
		a, err := c.GetActivity(context.Background(), workivatest.ActivityID(i))
		require.NoError(t, err)
		assert.Equal(t, want, a.Outcome, i)
		if i%4 == 3 {
			assert.Nil(t, a.Workspace, "activity %d is organization-level", i)
			assert.Len(t, a.Targets, 1)
		}
		assert.Nil(t, a.Attachments)
	}
}

func TestGetActivityNotFound(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	// ".." is refused before sending since issue 13 (TestDotIDsRefusedBeforeSending);
	// "..." is an ordinary id.
	for _, id := range []string{workivatest.ActivityID(250), "a/b", "...", "%2F", "x?y#z"} {
		_, err := c.GetActivity(context.Background(), id)
		var ae *workiva.APIError
		require.ErrorAs(t, err, &ae, id)
		assert.True(t, errors.Is(err, workiva.ErrNotFound))
		assert.Equal(t, 404, ae.StatusCode)
		assert.Equal(t, "404NotFound", ae.Code)
		assert.Equal(t, "The requested resource could not be found", ae.Message)
		assert.Equal(t, "activityId", ae.Target, id)
		assert.Equal(t, "2026-01-01", ae.Version)
		assert.Equal(t, "https://developers.workiva.com", ae.DocumentationURL)
		assert.Contains(t, ae.Error(), "404 Not Found: 404NotFound")
		assert.Contains(t, ae.Error(), "[target activityId]")
	}
	// Every id stayed one path segment below /activities.
	for _, r := range srv.Requests() {
		assert.Equal(t, 2, strings.Count(r.RawPath, "/"), r.RawPath)
	}
}

func TestGetActivityAction(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	a, err := c.GetActivityAction(context.Background(), "com.workiva.legacy.export.create")
	require.NoError(t, err)
	assert.Equal(t, &workiva.ActivityAction{ID: "com.workiva.legacy.export.create", Alias: "legacy_export_create",
		Name: "Legacy export created", Category: "Data", Deprecated: true}, a)
	assert.Equal(t, "/activityActions/com.workiva.legacy.export.create", srv.Requests()[0].RawPath)

	_, err = c.GetActivityAction(context.Background(), "com.workiva/unknown")
	require.ErrorIs(t, err, workiva.ErrNotFound)
	assert.Equal(t, "/activityActions/com.workiva%2Funknown", srv.Requests()[1].RawPath)
}

func TestListActivityActionsPages(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	var pages [][]string
	for p, err := range c.ListActivityActions(context.Background(), &workiva.ListActivityActionsParams{PageSize: 5, OrderBy: "alias desc"}).Pages() {
		require.NoError(t, err)
		var ids []string
		for _, a := range p.Items {
			ids = append(ids, a.Alias)
		}
		pages = append(pages, ids)
	}
	assert.Equal(t, [][]string{
		{"workspace_update", "workspace_membership_delete", "workspace_membership_create", "user_logout", "user_login_failed"},
		{"user_login", "user_delete", "user_create", "role_assignment_delete", "role_assignment_create"},
		{"retention_policy_update", "organization_update", "legacy_export_create"},
	}, pages)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "$maxpagesize=5&$orderBy=alias+desc", reqs[0].RawQuery)
	for _, r := range reqs[1:] {
		assert.Equal(t, "/activityActions", r.RawPath)
		assert.Equal(t, "5", r.Query.Get("$maxpagesize"))
		assert.Equal(t, "alias desc", r.Query.Get("$orderBy"))
		assert.NotEmpty(t, r.Query.Get("$next"))
	}
}

func TestListActivityActionsNilParams(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	all, err := c.ListActivityActions(context.Background(), nil).Collect()
	require.NoError(t, err)
	assert.Len(t, all, len(workivatest.Actions()))
	assert.Equal(t, "com.workiva.iam.user.login", all[0].ID)
	assert.Empty(t, srv.Requests()[0].RawQuery, "PageSize 0 sends no $maxpagesize")
}

func TestListWorkspaceActivities(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	items, err := c.ListWorkspaceActivities(context.Background(), workivatest.OrganizationID, workivatest.WorkspaceC,
		&workiva.ListActivitiesParams{PageSize: 20}).Collect()
	require.NoError(t, err)
	require.Len(t, items, 62) // i%4 == 2 for i < 250
	for k, a := range items {
		assert.Equal(t, workivatest.ActivityID(4*k+2), a.ID)
		require.NotNil(t, a.Workspace)
		assert.Equal(t, workivatest.WorkspaceC, a.Workspace.ID)
	}
	assert.Equal(t, "/organizations/"+workivatest.OrganizationID+"/workspaces/QWNjb3VudB8%2B%2FzI5MDkzODcwMzg3Mg%3D%3D/activities",
		srv.Requests()[0].RawPath)
	assert.Len(t, srv.Requests(), 4)

	_, err = c.ListWorkspaceActivities(context.Background(), workivatest.OrganizationID, "nope", nil).Collect()
	var ae *workiva.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "workspaceId", ae.Target)
}

func TestListOrganizationActivitiesUnknownOrganization(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	n := 0
	for _, err := range c.ListOrganizationActivities(context.Background(), "00000000-0000-0000-0000-000000000000", nil).All() {
		require.ErrorIs(t, err, workiva.ErrNotFound)
		n++
	}
	assert.Equal(t, 1, n, "a failed page yields its error once")
}

func TestValidationBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	org := workivatest.OrganizationID
	cases := []struct {
		name, field string
		run         func() error
	}{
		{"empty activity id", "GetActivity.activityID", func() error { _, err := c.GetActivity(ctx, ""); return err }},
		{"blank action id", "GetActivityAction.activityActionID", func() error { _, err := c.GetActivityAction(ctx, "  "); return err }},
		{"empty org", "ListOrganizationActivities.organizationID", func() error {
			_, err := c.ListOrganizationActivities(ctx, "", nil).Collect()
			return err
		}},
		{"empty org (workspace)", "ListWorkspaceActivities.organizationID", func() error {
			_, err := c.ListWorkspaceActivities(ctx, "", "w", nil).Collect()
			return err
		}},
		{"empty workspace", "ListWorkspaceActivities.workspaceID", func() error {
			_, err := c.ListWorkspaceActivities(ctx, org, "", nil).Collect()
			return err
		}},
		{"page size too big", "ListActivitiesParams.PageSize", func() error {
			_, err := c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{PageSize: 1001}).Collect()
			return err
		}},
		{"negative page size", "ListActivityActionsParams.PageSize", func() error {
			_, err := c.ListActivityActions(ctx, &workiva.ListActivityActionsParams{PageSize: -1}).Collect()
			return err
		}},
		{"blank filter", "ListActivitiesParams.Filter", func() error {
			_, err := c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Filter: "   "}).Collect()
			return err
		}},
		{"filter with newline", "ListActivitiesParams.Filter", func() error {
			_, err := c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{Filter: "a eq 'b'\n"}).Collect()
			return err
		}},
		{"blank order", "ListActivityActionsParams.OrderBy", func() error {
			_, err := c.ListActivityActions(ctx, &workiva.ListActivityActionsParams{OrderBy: " "}).Collect()
			return err
		}},
		{"order with control", "ListActivitiesParams.OrderBy", func() error {
			_, err := c.ListWorkspaceActivities(ctx, org, "w", &workiva.ListActivitiesParams{OrderBy: "x\x00"}).Collect()
			return err
		}},
		{"token with control", "ListActivitiesParams.PageToken", func() error {
			_, err := c.ListWorkspaceActivities(ctx, org, "w", &workiva.ListActivitiesParams{PageToken: "abc\x7f"}).Collect()
			return err
		}},
		{"token for another list", "ListActivitiesParams.PageToken", func() error {
			_, err := c.ListOrganizationActivities(ctx, org, &workiva.ListActivitiesParams{PageToken: "/activityActions?$next=abc"}).Collect()
			return err
		}},
	}
	for _, tc := range cases {
		err := tc.run()
		var ve *workiva.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.True(t, strings.HasPrefix(err.Error(), "workiva: "+tc.field+": "), "%s: %v", tc.name, err)
	}
	assert.Empty(t, srv.Requests())
	assert.Empty(t, srv.TokenRequests(), "no token is fetched for bad input")
}

func TestPerformerIPAddressTrimmedAndUnknownFieldsIgnored(t *testing.T) {
	t.Parallel()
	var a workiva.Activity
	require.NoError(t, json.Unmarshal([]byte(`{"id":"x","performer":{"id":"p","type":"t","ipAddress":" 192.168.1.1\n","new":1},"extra":{"a":[1]}}`), &a))
	assert.Equal(t, "192.168.1.1", a.Performer.IPAddress)
	assert.Error(t, json.Unmarshal([]byte(`{"performer":{"id":5}}`), &a))
}
