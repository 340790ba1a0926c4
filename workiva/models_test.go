package workiva_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/workiva"
)

// The OpenAPI example with every optional field of Organization and Workspace.
const fullActivity = `{
  "id": "NjE0MjIxODItOTVkYi00YmFjLWI4ZjktNzRkMDg1OTdlMDgwOlFYVmthWFJNYjJjZVFYVmthWFJNYjJjNk5ETXpaamN4TUdVMU5HRTBOR1V5Tm1JeU5ERmtOREJsWXpNMlpHWXhNVFE=",
  "description": "not in the schema: ignored",
  "action": {"id": "com.workiva.administration.workspace_membership.create", "type": "ignored",
    "alias": "workspace_membership_create", "name": "Workspace membership created", "category": "Administration", "deprecated": true},
  "performer": {"id": "V0ZWc2VyHzE0NT8xNzAyMDA", "type": "com.workiva.iam.principal.user", "displayName": "Adam Admin",
    "uniqueName": "admin_admin@example.com", "ipAddress": "192.168.1.1\n"},
  "targets": [{"id": "V0ZVc2VyHzY0ODY4NjQ1MzE1NTQ", "uniqueName": "john_public", "displayName": "John Public", "type": "com.workiva.administration.user"}],
  "activityDateTime": "2021-01-30T13:55:01Z",
  "summary": "Adam Admin added the user 'John Public'",
  "workspace": {"id": "QWNjb3VudB81NjM5NDQ1NjA0NzI4ODMy", "name": "Organization Management",
    "created": {"dateTime": "2019-10-30T15:03:27Z", "user": {"id": "V1ZVd2VyFzU3NiQ1NDA4NjIzNzk2MjD", "displayName": "John Doe"}},
    "modified": {"dateTime": "2019-10-31T15:03:27.5Z", "user": null},
    "organization": {"id": "d6e178fd-4dd5-47e5-9457-68dd64b03655", "name": "Workiva Inc."},
    "solutions": [{"id": "60", "name": null}]},
  "organization": {"id": "d6e178fd-4dd5-47e5-9457-68dd64b03655", "name": "Workiva Inc.", "status": "active",
    "created": {"dateTime": "2019-10-30T15:03:27Z", "user": {"id": "V1ZVd2VyFzU3NiQ1NDA4NjIzNzk2MjD"}}},
  "outcome": "partially_applied",
  "tags": ["correlationId:1a2b3c4d5e6f000db88c0009f9f1"],
  "attachments": [{"enabled": {"new": true, "old": false}}, {"entityChanges": {"propertyName": "displayName"}}]
}`

func TestActivityDecodesEveryOpenAPIField(t *testing.T) {
	t.Parallel()
	var a workiva.Activity
	require.NoError(t, json.Unmarshal([]byte(fullActivity), &a))
	created := &workiva.Change{DateTime: time.Date(2019, 10, 30, 15, 3, 27, 0, time.UTC), User: &workiva.User{ID: "V1ZVd2VyFzU3NiQ1NDA4NjIzNzk2MjD"}}
	org := &workiva.Organization{ID: "d6e178fd-4dd5-47e5-9457-68dd64b03655", Name: "Workiva Inc."}
	want := workiva.Activity{
		ID: "NjE0MjIxODItOTVkYi00YmFjLWI4ZjktNzRkMDg1OTdlMDgwOlFYVmthWFJNYjJjZVFYVmthWFJNYjJjNk5ETXpaamN4TUdVMU5HRTBOR1V5Tm1JeU5ERmtOREJsWXpNMlpHWXhNVFE=",
		Action: workiva.ActivityAction{ID: "com.workiva.administration.workspace_membership.create", Alias: "workspace_membership_create",
			Name: "Workspace membership created", Category: "Administration", Deprecated: true},
		ActivityDateTime: time.Date(2021, 1, 30, 13, 55, 1, 0, time.UTC),
		Performer: workiva.Performer{ID: "V0ZWc2VyHzE0NT8xNzAyMDA", Type: "com.workiva.iam.principal.user", DisplayName: "Adam Admin",
			UniqueName: "admin_admin@example.com", IPAddress: "192.168.1.1"},
		Targets: []workiva.Target{{ID: "V0ZVc2VyHzY0ODY4NjQ1MzE1NTQ", Type: "com.workiva.administration.user", DisplayName: "John Public", UniqueName: "john_public"}},
		Summary: "Adam Admin added the user 'John Public'",
		Outcome: workiva.Outcome("partially_applied"),
		Organization: &workiva.Organization{ID: "d6e178fd-4dd5-47e5-9457-68dd64b03655", Name: "Workiva Inc.", Status: "active",
			Created: created},
		Workspace: &workiva.Workspace{ID: "QWNjb3VudB81NjM5NDQ1NjA0NzI4ODMy", Name: "Organization Management", Created: created,
			Modified:     &workiva.Change{DateTime: time.Date(2019, 10, 31, 15, 3, 27, 500_000_000, time.UTC)},
			Organization: org, Solutions: []workiva.Solution{{ID: "60"}}},
		Tags: []string{"correlationId:1a2b3c4d5e6f000db88c0009f9f1"},
		Attachments: []json.RawMessage{json.RawMessage(`{"enabled": {"new": true, "old": false}}`),
			json.RawMessage(`{"entityChanges": {"propertyName": "displayName"}}`)},
	}
	assert.Equal(t, want, a)

	// Nullable workspace.
	var b workiva.Activity
	require.NoError(t, json.Unmarshal([]byte(`{"id":"x","workspace":null,"attachments":null}`), &b))
	assert.Nil(t, b.Workspace)
	assert.Nil(t, b.Attachments)
}
