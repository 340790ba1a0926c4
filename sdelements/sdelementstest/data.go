package sdelementstest

import (
	"encoding/json"
	"sort"
	"strconv"
	"time"
)

// DefaultEpoch is the date of activity 1 unless WithEpoch says otherwise: the
// date of the oldest activity in the API documentation's example.
var DefaultEpoch = time.Date(2016, 3, 30, 15, 14, 46, 634929000, time.UTC)

// Interval is the spacing of generated activities: activity i happens in the
// minute starting at epoch + (i-1) minutes, at a pseudo-random second and
// microsecond within it, so dates strictly increase with the id.
const Interval = time.Minute

// users are the synthetic users: actor and user ids 1..7 name them.
var users = []string{"Admin Testerton", "Cindy Lu", "Omar Haddad", "Priya Natarajan", "Jonas Berg", "Mei Tanaka", "Lucas Moreau"}

// Sizes of the synthetic organisation: projects 1..Projects belong to
// application (p-1)%Applications+1, which belongs to business unit
// (a-1)%BusinessUnits+1. Names are "Project <n>", "Application <n>",
// "Business Unit <n>", "Group <n>".
const (
	Projects      = 40
	Applications  = 10
	BusinessUnits = 4
	Groups        = 5
)

// builtinStandards are the built-in library tasks ("standards") referenced by
// generated activities; custom ones are "CT1".."CT4".
var builtinStandards = []struct {
	id   string
	name string
}{
	{"T21", "Ensure confidential data is sent over an encrypted channel"},
	{"T8", "Validate input before use"},
	{"T35", "Use a strong password hashing algorithm"},
	{"T52", "Protect against cross-site request forgery"},
	{"T71", "Log security events"},
	{"T102", "Restrict file upload types"},
	{"T117", "Set session timeouts"},
	{"T140", "Encode output for its context"},
}

const customStandards = 4

// Activity is one activity of the fake, as the fake serves it.
type Activity struct {
	ID       int64
	Name     string
	Actor    *int64 // nil for system events
	Text     string
	Date     time.Time // UTC, microsecond precision
	Data     map[string]any
	Icon     string
	LogLevel string
}

// kinds are the generated event types and what their data references.
var kinds = []struct {
	name, icon, level string
	refs              ref
}{
	{"LoggedInActivity", "user", "", 0},
	{"UserCreatedActivity", "user", "", refUser},
	{"CreatedGroupActivity", "user", "success", refGroup},
	{"ModifiedBusinessUnitActivity", "edit", "", refBU},
	{"ProjectCreatedActivity", "plus", "success", refProject | refApp | refBU},
	{"ModifiedApplicationActivity", "edit", "", refApp | refBU},
	{"TaskStatusChangedActivity", "check", "", refStandard | refProject | refApp | refBU},
	{"ProjectDeletedActivity", "trash", "", refProject | refApp},
}

type ref uint8

const (
	refUser ref = 1 << iota
	refGroup
	refBU
	refApp
	refProject
	refStandard
)

// attrs are an activity's filterable values, computed from its id alone.
type attrs struct {
	kind     int
	actor    int64 // 0 = null
	user     int64
	group    int64
	project  int64
	app      int64
	bu       int64
	standard int // index: < len(builtinStandards) built-in, else custom
}

func mix(x uint64) uint64 { // splitmix64
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func attrsOf(id int64) attrs {
	h := mix(uint64(id))
	a := attrs{
		kind:     int(h % uint64(len(kinds))),
		actor:    1 + int64((h>>8)%uint64(len(users))),
		user:     1 + int64((h>>16)%uint64(len(users))),
		group:    1 + int64((h>>24)%Groups),
		project:  1 + int64((h>>32)%Projects),
		standard: int((h >> 40) % uint64(len(builtinStandards)+customStandards)),
	}
	if id%17 == 0 {
		a.actor = 0
	}
	a.app = (a.project-1)%Applications + 1
	a.bu = (a.app-1)%BusinessUnits + 1
	refs := kinds[a.kind].refs
	if refs&refUser == 0 {
		a.user = 0
	}
	if refs&refGroup == 0 {
		a.group = 0
	}
	if refs&refProject == 0 {
		a.project = 0
	}
	if refs&refApp == 0 {
		a.app = 0
	}
	if refs&refBU == 0 {
		a.bu = 0
	}
	if refs&refStandard == 0 {
		a.standard = -1
	}
	if kinds[a.kind].name == "ModifiedBusinessUnitActivity" {
		a.bu = 1 + int64((h>>48)%BusinessUnits)
	}
	return a
}

func (a attrs) standardID() string {
	if a.standard < 0 {
		return ""
	}
	if a.standard < len(builtinStandards) {
		return builtinStandards[a.standard].id
	}
	return "CT" + strconv.Itoa(a.standard-len(builtinStandards)+1)
}

func (a attrs) standardDesc() string {
	if a.standard < 0 {
		return ""
	}
	if a.standard < len(builtinStandards) {
		s := builtinStandards[a.standard]
		return s.id + ": " + s.name
	}
	id := a.standardID()
	return id + ": Custom task " + id[2:]
}

func projectDesc(n int64) string { return "Project " + strconv.FormatInt(n, 10) }
func appDesc(n int64) string     { return "Application " + strconv.FormatInt(n, 10) }
func buDesc(n int64) string      { return "Business Unit " + strconv.FormatInt(n, 10) }
func groupDesc(n int64) string   { return "Group " + strconv.FormatInt(n, 10) }

// dateOf is the date of activity id (generated ones; see dateAny).
func (s *Server) dateOf(id int64) time.Time {
	jitter := time.Duration(mix(uint64(id)^0x5deadbeef)%uint64(Interval/time.Microsecond)) * time.Microsecond
	return s.epoch.Add(time.Duration(id-1)*Interval + jitter)
}

// build makes activity id in full.
func (s *Server) build(id int64) Activity {
	a := attrsOf(id)
	k := kinds[a.kind]
	date := s.dateOf(id)
	if id > s.n {
		s.mu.Lock()
		date = s.appended[id-s.n-1]
		s.mu.Unlock()
	}
	act := Activity{ID: id, Name: k.name, Date: date, Icon: k.icon, LogLevel: k.level, Data: map[string]any{}}
	who := "System"
	if a.actor != 0 {
		actor := a.actor
		act.Actor = &actor
		who = users[a.actor-1]
	}
	if a.user != 0 {
		act.Data["user"] = "U" + strconv.FormatInt(a.user, 10)
	}
	if a.group != 0 {
		act.Data["group"] = "G" + strconv.FormatInt(a.group, 10)
		act.Data["group_desc"] = groupDesc(a.group)
		act.Data["target_group_desc"] = groupDesc(a.group)
	}
	if a.bu != 0 {
		act.Data["business_unit"] = a.bu
		act.Data["business_unit_desc"] = buDesc(a.bu)
	}
	if a.app != 0 {
		act.Data["application"] = a.app
		act.Data["application_desc"] = appDesc(a.app)
	}
	if a.project != 0 {
		act.Data["project"] = a.project
		act.Data["project_desc"] = projectDesc(a.project)
	}
	if a.standard >= 0 {
		act.Data["standard"] = a.standardID()
		act.Data["standard_desc"] = a.standardDesc()
	}
	switch k.name {
	case "LoggedInActivity":
		act.Text = who + " logged in"
	case "UserCreatedActivity":
		act.Text = who + " created user " + users[a.user-1]
	case "CreatedGroupActivity":
		act.Text = who + " created group " + groupDesc(a.group)
	case "ModifiedBusinessUnitActivity":
		act.Text = who + " modified business unit " + buDesc(a.bu)
	case "ProjectCreatedActivity":
		act.Text = who + " created project " + projectDesc(a.project)
	case "ModifiedApplicationActivity":
		act.Text = who + " modified application " + appDesc(a.app)
	case "TaskStatusChangedActivity":
		act.Text = who + " marked " + a.standardID() + " complete in " + projectDesc(a.project)
	case "ProjectDeletedActivity":
		act.Text = who + " deleted project " + projectDesc(a.project)
	}
	return act
}

// MarshalJSON writes the activity as the API does: the date with six
// fractional digits, ending in "Z" for odd ids and "+00:00" for even ones
// (real instances use both forms); data keys sorted.
func (a Activity) MarshalJSON() ([]byte, error) { return a.appendJSON(nil), nil }

// appendJSON encodes without reflection: the fake serves a million
// activities in benchmarks.
func (a Activity) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, a.ID, 10)
	b = append(b, `,"name":`...)
	b = appendString(b, a.Name)
	b = append(b, `,"actor":`...)
	if a.Actor == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, *a.Actor, 10)
	}
	b = append(b, `,"text":`...)
	b = appendString(b, a.Text)
	b = append(b, `,"date":"`...)
	b = a.Date.UTC().AppendFormat(b, "2006-01-02T15:04:05.000000")
	if a.ID%2 == 0 {
		b = append(b, `+00:00"`...)
	} else {
		b = append(b, `Z"`...)
	}
	b = append(b, `,"data":{`...)
	keys := make([]string, 0, len(a.Data))
	for k := range a.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		switch v := a.Data[k].(type) {
		case string:
			b = appendString(b, v)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		default:
			enc, err := json.Marshal(v)
			if err != nil {
				enc = []byte("null")
			}
			b = append(b, enc...)
		}
	}
	b = append(b, `},"icon":`...)
	b = appendString(b, a.Icon)
	b = append(b, `,"log_level":`...)
	b = appendString(b, a.LogLevel)
	return append(b, '}')
}

// appendString appends s as a JSON string, escaped like encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			enc, _ := json.Marshal(s)
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
