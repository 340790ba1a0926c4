package workivatest

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// OrganizationID is the one organization the fake serves.
const OrganizationID = "d6e178fd-4dd5-47e5-9457-68dd64b03655"

// OrganizationName is the organization's name in every activity.
const OrganizationName = "Workiva Test Organization"

// The fake's workspaces. Activity i belongs to workspace i%4 (A, B, C), or to
// none when i%4 == 3 (an organization-level activity). WorkspaceC is standard
// base64 with "+", "/" and "=", to exercise path escaping.
const (
	WorkspaceA = "QWNjb3VudB81NjM5NDQ1NjA0NzI4ODMy"
	WorkspaceB = "QWNjb3VudB81MzIzMjkwOTM4NzAzODcy"
	WorkspaceC = "QWNjb3VudB8+/zI5MDkzODcwMzg3Mg=="
)

var workspaces = [3]struct{ id, name string }{
	{WorkspaceA, "Organization Management"},
	{WorkspaceB, "Quarterly Planning"},
	{WorkspaceC, "Annual Report 2026"},
}

// DefaultActivities is the number of activities served without WithActivities.
const DefaultActivities = 250

// DefaultStart is the activityDateTime of activity 0 without WithTimeline;
// activity i happened DefaultStep*i later.
var DefaultStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// DefaultStep is the time between consecutive activities without WithTimeline.
const DefaultStep = time.Minute

// Action is one entry of the fake's activity action catalogue.
type Action struct {
	ID         string `json:"id"`
	Alias      string `json:"alias"`
	Name       string `json:"name"`
	Category   string `json:"category"`
	Deprecated bool   `json:"deprecated"`
}

var actions = []Action{
	{"com.workiva.iam.user.login", "user_login", "User logged in", "Security", false},
	{"com.workiva.iam.user.logout", "user_logout", "User logged out", "Security", false},
	{"com.workiva.iam.user.login_failed", "user_login_failed", "User login failed", "Security", false},
	{"com.workiva.administration.user.create", "user_create", "User created", "Administration", false},
	{"com.workiva.administration.user.delete", "user_delete", "User deleted", "Administration", false},
	{"com.workiva.administration.workspace_membership.create", "workspace_membership_create", "Workspace membership created", "Administration", false},
	{"com.workiva.administration.workspace_membership.delete", "workspace_membership_delete", "Workspace membership deleted", "Administration", false},
	{"com.workiva.administration.workspace.update", "workspace_update", "Workspace updated", "Administration", false},
	{"com.workiva.administration.role_assignment.create", "role_assignment_create", "Role assigned", "Administration", false},
	{"com.workiva.administration.role_assignment.delete", "role_assignment_delete", "Role unassigned", "Administration", false},
	{"com.workiva.activity.retention_policy.update", "retention_policy_update", "Retention policy updated", "Settings", false},
	{"com.workiva.administration.organization.update", "organization_update", "Organization settings updated", "Settings", false},
	{"com.workiva.legacy.export.create", "legacy_export_create", "Legacy export created", "Data", true},
}

// Actions returns the fake's activity action catalogue, in its default order.
// Activity i has action Actions()[(7*i)%13].
func Actions() []Action { return append([]Action(nil), actions...) }

type person struct{ id, name, unique string }

var performers = []person{
	{"V0ZWc2VyHzE0NT8xNzAyMDA", "Adam Admin", "adam_admin@example.com"},
	{"V0ZWc2VyHzE0NT8xNzAyMDE", "Beth Builder", "beth_builder@example.com"},
	{"V0ZWc2VyHzE0NT8xNzAyMDI", "Carl Compliance", "carl_compliance@example.com"},
	{"V0ZWc2VyHzE0NT8xNzAyMDM", "Dana Director", "dana_director@example.com"},
	{"V0ZWc2VyHzE0NT8xNzAyMDQ", "Integration Bot", "svc-integration"},
}

var users = []person{
	{"V0ZVc2VyHzY0ODY4NjQ1MzE1NTA", "John Public", "john_public"},
	{"V0ZVc2VyHzY0ODY4NjQ1MzE1NTE", "Jane Public", "jane_public"},
	{"V0ZVc2VyHzY0ODY4NjQ1MzE1NTI", "Ravi Reviewer", "ravi_reviewer"},
	{"V0ZVc2VyHzY0ODY4NjQ1MzE1NTM", "Olga Owner", "olga_owner"},
	{"V0ZVc2VyHzY0ODY4NjQ1MzE1NTQ", "Sam Signer", "sam_signer"},
	{"V0ZVc2VyHzY0ODY4NjQ1MzE1NTU", "Tess Tester", "tess_tester"},
	{"V0ZVc2VyHzY0ODY4NjQ1MzE1NTY", "Uma Auditor", "uma_auditor"},
}

// PerformerIDs returns the ids of the fake's performers; activity i is
// performed by PerformerIDs()[(i/3)%5].
func PerformerIDs() []string {
	out := make([]string, len(performers))
	for i, p := range performers {
		out[i] = p.id
	}
	return out
}

// UserIDs returns the ids of the users that activities target; activity i
// targets UserIDs()[(3*i)%7] (and its workspace, when it has one).
func UserIDs() []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.id
	}
	return out
}

// idPrefix makes every activity id start with "+/+/" in base64.
var idPrefix = []byte{0xfb, 0xff, 0xbf}

// ActivityID returns the id of activity i: standard base64 that starts with
// "+/+/" and ends with "=", like Workiva's opaque ids.
func ActivityID(i int) string {
	b := append(append([]byte(nil), idPrefix...), fmt.Sprintf("wkv-activity:%010d", i)...)
	return base64.StdEncoding.EncodeToString(b)
}

// activityIndex parses an id made by ActivityID.
func activityIndex(id string) (int, bool) {
	b, err := base64.StdEncoding.DecodeString(id)
	if err != nil || len(b) < len(idPrefix) || string(b[:len(idPrefix)]) != string(idPrefix) {
		return 0, false
	}
	s, ok := strings.CutPrefix(string(b[len(idPrefix):]), "wkv-activity:")
	if !ok || len(s) != 10 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// Wire shapes.

type wireActivity struct {
	ID               string           `json:"id"`
	Action           *Action          `json:"action"`
	ActivityDateTime string           `json:"activityDateTime"`
	Performer        wirePerformer    `json:"performer"`
	Targets          []wireTarget     `json:"targets"`
	Summary          string           `json:"summary"`
	Outcome          string           `json:"outcome"`
	Organization     wireOrg          `json:"organization"`
	Workspace        *wireOrg         `json:"workspace"`
	Tags             []string         `json:"tags"`
	Attachments      []wireAttachment `json:"attachments,omitempty"`
}

type wirePerformer struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	DisplayName string `json:"displayName"`
	UniqueName  string `json:"uniqueName"`
	IPAddress   string `json:"ipAddress"`
}

type wireTarget struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	DisplayName string `json:"displayName"`
	UniqueName  string `json:"uniqueName,omitempty"`
}

type wireOrg struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type wireAttachment struct {
	EntityChanges struct {
		PropertyName string `json:"propertyName"`
		New          string `json:"new"`
		Old          string `json:"old"`
	} `json:"entityChanges"`
}

var outcomes = [10]string{"success", "success", "success", "success", "success", "success", "success", "failure", "pending", "unknown"}

func actionOf(i int) *Action   { return &actions[(7*i)%len(actions)] }
func performerOf(i int) person { return performers[(i/3)%len(performers)] }
func userOf(i int) person      { return users[(3*i)%len(users)] }
func workspaceOf(i int) int    { return i % 4 } // 3: none
// timeOf is the activityDateTime of activity i: generated, or appended
// (appended ones are read under mu: never call it for them with mu held).
func (s *Server) timeOf(i int) time.Time {
	if i >= s.cfg.activities {
		return s.appendedTime(i - s.cfg.activities)
	}
	return s.cfg.start.Add(time.Duration(i) * s.cfg.step)
}

func (s *Server) appendedTime(k int) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.appended[k]
}

// ActivityTime returns the activityDateTime of activity i.
func (s *Server) ActivityTime(i int) time.Time { return s.timeOf(i) }

// ActivityCount returns the number of activities the organization has,
// appended ones included.
func (s *Server) ActivityCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg.activities + len(s.appended)
}

// activity builds activity i.
func (s *Server) activity(i int) wireActivity {
	act := actionOf(i)
	p := performerOf(i)
	u := userOf(i)
	ip := fmt.Sprintf("10.%d.%d.%d", (i/3)%len(performers), (i/250)%250, i%250+1)
	if i%5 == 0 {
		ip += "\n" // the API sometimes sends a trailing newline
	}
	a := wireActivity{
		ID:               ActivityID(i),
		Action:           act,
		ActivityDateTime: s.timeOf(i).UTC().Format(time.RFC3339),
		Performer:        wirePerformer{p.id, "com.workiva.iam.principal.user", p.name, p.unique, ip},
		Targets:          []wireTarget{{u.id, "com.workiva.administration.user", u.name, u.unique}},
		Outcome:          outcomes[i%10],
		Organization:     wireOrg{OrganizationID, OrganizationName},
		Tags:             []string{fmt.Sprintf("correlationId:%016x", uint64(i)*0x9e3779b97f4a7c15), fmt.Sprintf("eventId:ev-%d", i)},
	}
	if p.id == performers[4].id {
		a.Performer.Type = "com.workiva.iam.principal.service"
	}
	summary := fmt.Sprintf("%s: %s (%s)", p.name, act.Name, u.name)
	if w := workspaceOf(i); w < 3 {
		ws := workspaces[w]
		a.Workspace = &wireOrg{ws.id, ws.name}
		a.Targets = append(a.Targets, wireTarget{ID: ws.id, Type: "com.workiva.administration.workspace", DisplayName: ws.name})
		summary += " in workspace '" + ws.name + "'"
	}
	a.Summary = summary
	if i%6 == 0 {
		var at wireAttachment
		at.EntityChanges.PropertyName = "displayName"
		at.EntityChanges.New = fmt.Sprintf("Name %d", i)
		at.EntityChanges.Old = fmt.Sprintf("Name %d", i-1)
		a.Attachments = []wireAttachment{at}
	}
	return a
}
