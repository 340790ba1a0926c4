package workiva_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// answerClient is a client whose every request is answered in memory by a.
func answerClient(t *testing.T, a *fakeserver.Answerer) *workiva.Client {
	t.Helper()
	c, err := workiva.NewClient(workiva.WithBaseURL("http://127.0.0.1:9"), workiva.WithHTTPClient(&http.Client{Transport: a}),
		workiva.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok"})),
		workiva.WithRetryPolicy(workiva.NoRetries))
	require.NoError(t, err)
	return c
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

// The getActivityById example of the 2026-01-01 document sends
// "description" (and an "action.type" the schema lacks) where the schema
// has "summary": Summary falls back to it, on single reads and in lists.
func TestActivitySummaryFallsBackToDescription(t *testing.T) {
	t.Parallel()
	a := &fakeserver.Answerer{Host: "127.0.0.1:9", Then: []byte(`{"data":[]}`)}
	c := answerClient(t, a)
	a.Set(200, jsonHeader, []byte(`{"id":"x","description":"Adam Admin added the user 'John Public' to the workspace 'Organization Management'",
		"action":{"id":"com.workiva.administration.workspace_membership.create","type":"com.workiva.administration.workspace_membership.create"},
		"performer":{"id":"p","type":"u"},"targets":[],"activityDateTime":"2021-01-30T13:55:01Z"}`), false)
	got, err := c.GetActivity(context.Background(), "x")
	require.NoError(t, err)
	assert.Equal(t, "Adam Admin added the user 'John Public' to the workspace 'Organization Management'", got.Summary)
	assert.Equal(t, "com.workiva.administration.workspace_membership.create", got.Action.ID)

	a.Set(200, jsonHeader, []byte(`{"data":[
		{"id":"1","summary":"from summary","description":"not this","activityDateTime":"2021-01-30T13:55:01Z"},
		{"id":"2","description":"from description","activityDateTime":"2021-01-30T13:55:02Z"},
		{"id":"3","summary":"","description":"empty summary falls back","activityDateTime":"2021-01-30T13:55:03Z"},
		{"id":"4","activityDateTime":"2021-01-30T13:55:04Z"}]}`), false)
	list, err := c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID, nil).Collect()
	require.NoError(t, err)
	var sums []string
	for _, x := range list {
		sums = append(sums, x.Summary)
	}
	assert.Equal(t, []string{"from summary", "from description", "empty summary falls back", ""}, sums)
}

// Error bodies: the flat ErrorResponse of the document, the same fields
// nested under "error", the IAM shape, and a body in no JSON shape.
func TestErrorBodyShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body                    string
		code, message, target, docURL string
		details                       []workiva.ErrorDetail
	}{
		{name: "flat", body: `{"code":"400BadRequest","message":"The provided $orderBy option is not supported.","target":"$orderBy",
			"details":[{"code":"InvalidOrder","message":"Ordering by 'name desc' is not supported","target":"name"}],
			"documentationUrl":"https://developers.workiva.com","version":"2026-01-01"}`,
			code: "400BadRequest", message: "The provided $orderBy option is not supported.", target: "$orderBy",
			docURL: "https://developers.workiva.com", details: []workiva.ErrorDetail{{Code: "InvalidOrder", Message: "Ordering by 'name desc' is not supported", Target: "name"}}},
		{name: "nested", body: `{"error":{"code":"InvalidFilter","message":"bad $filter","target":"$filter",
			"details":[{"code":"UnknownField","message":"no such field","target":"foo"}]}}`,
			code: "InvalidFilter", message: "bad $filter", target: "$filter",
			details: []workiva.ErrorDetail{{Code: "UnknownField", Message: "no such field", Target: "foo"}}},
		{name: "nested, message only", body: `{"error":{"message":"gateway says no"}}`, message: "gateway says no"},
		{name: "iam", body: `{"error":"invalid_request","error_description":"missing grant_type"}`,
			code: "invalid_request", message: "missing grant_type"},
		{name: "not json", body: `Bad Gateway`, message: "Bad Gateway"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := &fakeserver.Answerer{Host: "127.0.0.1:9"}
			c := answerClient(t, a)
			a.Set(400, jsonHeader, []byte(tc.body), true)
			_, err := c.GetActivity(context.Background(), "x")
			var ae *workiva.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 400, ae.StatusCode)
			assert.Equal(t, tc.code, ae.Code)
			assert.Equal(t, tc.message, ae.Message)
			assert.Equal(t, tc.target, ae.Target)
			assert.Equal(t, tc.details, ae.Details)
			assert.Equal(t, tc.docURL, ae.DocumentationURL)
		})
	}
}

// "." and ".." are refused before anything is sent (not even the token
// request): percent-encoded or not, a URL normaliser reads them as path steps.
func TestDotIDsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	for _, id := range []string{".", ".."} {
		calls := map[string]error{}
		_, calls["GetActivity/activityID"] = c.GetActivity(ctx, id)
		_, calls["GetActivityAction/activityActionID"] = c.GetActivityAction(ctx, id)
		_, calls["ListOrganizationActivities/organizationID"] = c.ListOrganizationActivities(ctx, id, nil).Collect()
		_, calls["ListWorkspaceActivities/organizationID"] = c.ListWorkspaceActivities(ctx, id, "w", nil).Collect()
		_, calls["ListWorkspaceActivities/workspaceID"] = c.ListWorkspaceActivities(ctx, workivatest.OrganizationID, id, nil).Collect()
		for name, err := range calls {
			var ve *workiva.ValidationError
			require.True(t, errors.As(err, &ve), "%s(%q): %v", name, id, err)
			assert.Equal(t, strings.Split(name, "/")[1], ve.Field, name)
			assert.Contains(t, err.Error(), `must not be "`+id+`"`, name)
		}
	}
	// Ids that merely contain dots are fine.
	_, err := c.GetActivityAction(ctx, "com.workiva.administration.workspace_membership.create")
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 1)
	assert.Len(t, srv.TokenRequests(), 1)
}
