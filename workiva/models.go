package workiva

import (
	"encoding/json"
	"strings"
	"time"
)

// Activity is one action performed in the organization or a workspace: a
// login, an added user, a role or settings change.
//
// Workiva does not guarantee that a platform action always produces the same
// activity ID; match on Action.Alias to decide whether an activity matters.
type Activity struct {
	// ID is the activity's opaque identifier ("id"), standard base64 that may
	// hold "/", "+" and "=". Pass it to GetActivity as is.
	ID string `json:"id"`
	// Action describes what was done ("action").
	Action ActivityAction `json:"action"`
	// ActivityDateTime is when the activity occurred ("activityDateTime").
	ActivityDateTime time.Time `json:"activityDateTime"`
	// Performer is who did it ("performer").
	Performer Performer `json:"performer"`
	// Targets are the resources affected ("targets").
	Targets []Target `json:"targets"`
	// Summary is a human-readable sentence ("summary"; when that is absent
	// or empty, "description", which the document's own getActivityById
	// example sends instead).
	Summary string `json:"summary,omitempty"`
	// Outcome is the result ("outcome"): success, failure, pending or
	// unknown; other values may appear and are kept as sent.
	Outcome Outcome `json:"outcome,omitempty"`
	// Organization is the organization's id and name ("organization").
	Organization *Organization `json:"organization,omitempty"`
	// Workspace is the workspace's id and name ("workspace"); nil for an
	// organization-level activity.
	Workspace *Workspace `json:"workspace,omitempty"`
	// Tags are free-form "key:value" strings ("tags"), such as
	// "correlationId:..." and "eventId:...".
	Tags []string `json:"tags,omitempty"`
	// Attachments are free-form JSON objects giving more context
	// ("attachments"), such as {"entityChanges": {...}}, kept as sent.
	Attachments []json.RawMessage `json:"attachments,omitempty"`
}

// Outcome is the result of an activity's action. It is an open set: compare
// with the constants, and expect other values.
type Outcome string

// The documented outcomes.
const (
	OutcomeSuccess Outcome = "success"
	OutcomeFailure Outcome = "failure"
	OutcomePending Outcome = "pending"
	OutcomeUnknown Outcome = "unknown"
)

// ActivityAction describes a kind of action that may produce activities.
type ActivityAction struct {
	// ID is the action's identifier ("id"), such as
	// "com.workiva.administration.workspace_membership.create".
	ID string `json:"id"`
	// Alias is the stable legacy identifier ("alias"), such as
	// "workspace_membership_create": the field to match activities on.
	Alias string `json:"alias,omitempty"`
	// Name is the human-readable name ("name").
	Name string `json:"name,omitempty"`
	// Category is the action's category ("category"), such as "Administration".
	Category string `json:"category,omitempty"`
	// Deprecated says the action is marked for removal ("deprecated").
	Deprecated bool `json:"deprecated"`
}

// Performer is the user or system principal that performed an activity.
type Performer struct {
	// ID is the performer's identifier ("id").
	ID string `json:"id"`
	// Type is the performer's resource type ("type"), such as
	// "com.workiva.iam.principal.user".
	Type string `json:"type"`
	// DisplayName is the performer's display name ("displayName").
	DisplayName string `json:"displayName,omitempty"`
	// UniqueName is a human-friendly identifier, an email or user name
	// ("uniqueName").
	UniqueName string `json:"uniqueName,omitempty"`
	// IPAddress is the IP address the action came from ("ipAddress"),
	// with surrounding whitespace removed (the API sometimes sends a
	// trailing newline).
	IPAddress string `json:"ipAddress,omitempty"`
}

// UnmarshalJSON decodes a performer and trims IPAddress.
func (p *Performer) UnmarshalJSON(b []byte) error {
	type plain Performer
	var x plain
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	x.IPAddress = strings.TrimSpace(x.IPAddress)
	*p = Performer(x)
	return nil
}

// activityWire decodes an Activity in one pass. Its Performer field (which
// hides the embedded one) has no UnmarshalJSON, so encoding/json does not
// stop at every performer to validate and decode it a second time; model
// trims the IP address as Performer.UnmarshalJSON does. List pages are
// decoded into it.
type activityWire struct {
	plainActivity
	Performer plainPerformer `json:"performer"`
	// Description is what the getActivityById example of the 2026-01-01
	// document sends instead of "summary"; model falls back to it.
	Description string `json:"description"`
}

type (
	plainActivity  Activity
	plainPerformer Performer
)

func (w *activityWire) model() Activity {
	a := Activity(w.plainActivity)
	if a.Summary == "" {
		a.Summary = w.Description
	}
	a.Performer = Performer(w.Performer)
	a.Performer.IPAddress = strings.TrimSpace(a.Performer.IPAddress)
	return a
}

// Target is a resource affected by an activity.
type Target struct {
	// ID is the target's identifier ("id").
	ID string `json:"id"`
	// Type is the target's resource type ("type"), such as
	// "com.workiva.administration.user".
	Type string `json:"type"`
	// DisplayName is the target's display name ("displayName").
	DisplayName string `json:"displayName,omitempty"`
	// UniqueName is a human-friendly identifier ("uniqueName").
	UniqueName string `json:"uniqueName,omitempty"`
}

// Organization describes a Workiva organization.
type Organization struct {
	// ID is the organization's identifier, a UUID ("id").
	ID string `json:"id"`
	// Name is the organization's name ("name").
	Name string `json:"name,omitempty"`
	// Status is "active" or "inactive" ("status"), "" when not sent.
	Status string `json:"status,omitempty"`
	// Created says when and by whom the organization was created ("created").
	Created *Change `json:"created,omitempty"`
	// Modified says when and by whom it was last modified ("modified").
	Modified *Change `json:"modified,omitempty"`
}

// Workspace describes a workspace.
type Workspace struct {
	// ID is the workspace's identifier ("id"); "" when sent as null.
	ID string `json:"id,omitempty"`
	// Name is the workspace's name ("name").
	Name string `json:"name,omitempty"`
	// Created says when and by whom the workspace was created ("created").
	Created *Change `json:"created,omitempty"`
	// Modified says when and by whom it was last modified ("modified").
	Modified *Change `json:"modified,omitempty"`
	// Organization is the organization the workspace belongs to
	// ("organization"), when sent.
	Organization *Organization `json:"organization,omitempty"`
	// Solutions are the capability sets enabled for the workspace
	// ("solutions", at most one).
	Solutions []Solution `json:"solutions,omitempty"`
}

// Change is the wire "Action" object: when something was done and by whom.
type Change struct {
	// DateTime is when it was done ("dateTime").
	DateTime time.Time `json:"dateTime"`
	// User is who did it ("user"), nil when not sent.
	User *User `json:"user,omitempty"`
}

// User is a user referenced by id.
type User struct {
	// ID is the user's identifier ("id").
	ID string `json:"id"`
}

// Solution is a set of capabilities available to an organization.
type Solution struct {
	// ID is the solution's identifier ("id"), such as "60".
	ID string `json:"id"`
	// Name is the solution's name ("name"); "" when sent as null.
	Name string `json:"name,omitempty"`
}
