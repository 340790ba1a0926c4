package workiva

import (
	"encoding/json"
	"strings"

	"github.com/activitysdk/activity-go/internal/jsondec"
)

// pageDecoder decodes one list answer for DoJSON (core.BodyDecoder): items
// and @nextLink.
type pageDecoder[T any] struct {
	decode func(body []byte) ([]T, *string, error)
	items  []T
	next   *string
}

func (p *pageDecoder[T]) DecodeBody(body []byte) (err error) {
	p.items, p.next, err = p.decode(body)
	return err
}

// decodeStd decodes a list answer with encoding/json into []W and converts
// the items: the decoding of every list before the fast path.
func decodeStd[T, W any](body []byte, pageSize int, items func([]W) []T) ([]T, *string, error) {
	var out listPage[W]
	if pageSize > 0 {
		out.Data = make([]W, 0, pageSize)
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, nil, err
	}
	return items(out.Data), out.NextLink, nil
}

// decodeActivityPage decodes a page of activities: in one reflection-free
// pass straight into the models when the answer has the common shape
// (decodeActivityPageFast), else with encoding/json as before; the result is
// decodeStd's on every input.
func decodeActivityPage(body []byte, pageSize int) ([]Activity, *string, error) {
	if items, next, ok := decodeActivityPageFast(body, pageSize); ok {
		return items, next, nil
	}
	return decodeStd(body, pageSize, activities)
}

// activityDecoder holds the scratch space of one page. Every allocation
// holds one activity's data only: a value kept from an activity keeps no
// other activity's data alive.
type activityDecoder struct {
	d       jsondec.Decoder
	targets []Target
	strs    []string
	raws    []json.RawMessage
	where   *whereabouts // the current activity's organization and workspace
}

// decodeActivityPageFast reads {"data": [...], "@nextLink": ...}; ok is
// false when the answer is off the common shape.
func decodeActivityPageFast(body []byte, pageSize int) (items []Activity, next *string, ok bool) {
	ad := new(activityDecoder)
	d := &ad.d
	d.Reset(body)
	items = make([]Activity, 0, max(pageSize, 0))
	if !d.Object() {
		return nil, nil, false
	}
	var seen uint64
	for d.More() {
		switch k := d.Key(); string(k) {
		case "data":
			d.Seen(&seen, 0)
			if d.Null() {
				items = nil
				continue
			}
			if !d.Array() {
				break
			}
			for d.More() {
				items = append(items, Activity{})
				d.Item()
				ad.where = nil
				ad.activity(&items[len(items)-1])
			}
		case "@nextLink":
			d.Seen(&seen, 1)
			if d.Null() {
				next = nil
			} else {
				s := d.OwnString() // kept as the page token
				next = &s
			}
		default:
			d.Unknown(k, "data", "@nextLink")
		}
	}
	if d.Finish() != nil {
		return nil, nil, false
	}
	if items == nil {
		items = []Activity{} // as activities() converts a nil page
	}
	return items, next, true
}

// The wire names each decoder reads (a test checks them against the
// models' json tags).
var (
	activityNames = []string{"id", "action", "activityDateTime", "performer", "targets", "summary",
		"description", "outcome", "organization", "workspace", "tags", "attachments"}
	actionNames    = []string{"id", "alias", "name", "category", "deprecated"}
	performerNames = []string{"id", "type", "displayName", "uniqueName", "ipAddress"}
	targetNames    = []string{"id", "type", "displayName", "uniqueName"}
)

// activity reads one activity into a, a zero Activity.
func (ad *activityDecoder) activity(a *Activity) {
	d := &ad.d
	if d.Null() || !d.Object() {
		return
	}
	var seen uint64
	var description string
	for d.More() {
		switch k := d.Key(); string(k) {
		case "id":
			d.Seen(&seen, 0)
			d.StringOrNull(&a.ID)
		case "action":
			d.Seen(&seen, 1)
			ad.action(&a.Action)
		case "activityDateTime":
			d.Seen(&seen, 2)
			d.Time(&a.ActivityDateTime)
		case "performer":
			d.Seen(&seen, 3)
			ad.performer(&a.Performer)
		case "targets":
			d.Seen(&seen, 4)
			a.Targets = ad.targetList()
		case "summary":
			d.Seen(&seen, 5)
			d.StringOrNull(&a.Summary)
		case "description":
			d.Seen(&seen, 11)
			d.StringOrNull(&description)
		case "outcome":
			d.Seen(&seen, 6)
			var s string
			d.StringOrNull(&s)
			a.Outcome = Outcome(s)
		case "organization":
			d.Seen(&seen, 7)
			a.Organization = ad.organization()
		case "workspace":
			d.Seen(&seen, 8)
			a.Workspace = ad.workspace()
		case "tags":
			d.Seen(&seen, 9)
			a.Tags = ad.stringList()
		case "attachments":
			d.Seen(&seen, 10)
			a.Attachments = ad.rawList()
		default:
			d.Unknown(k, activityNames...)
		}
	}
	if a.Summary == "" { // as activityWire.model does
		a.Summary = description
	}
}

func (ad *activityDecoder) action(a *ActivityAction) {
	d := &ad.d
	if d.Null() || !d.Object() {
		return
	}
	var seen uint64
	for d.More() {
		switch k := d.Key(); string(k) {
		case "id":
			d.Seen(&seen, 0)
			d.StringOrNull(&a.ID)
		case "alias":
			d.Seen(&seen, 1)
			d.StringOrNull(&a.Alias)
		case "name":
			d.Seen(&seen, 2)
			d.StringOrNull(&a.Name)
		case "category":
			d.Seen(&seen, 3)
			d.StringOrNull(&a.Category)
		case "deprecated":
			d.Seen(&seen, 4)
			d.BoolOrNull(&a.Deprecated)
		default:
			d.Unknown(k, actionNames...)
		}
	}
}

// performer reads a performer and trims its IP address, as
// activityWire.model does.
func (ad *activityDecoder) performer(p *Performer) {
	d := &ad.d
	if d.Null() || !d.Object() {
		return
	}
	var seen uint64
	for d.More() {
		switch k := d.Key(); string(k) {
		case "id":
			d.Seen(&seen, 0)
			d.StringOrNull(&p.ID)
		case "type":
			d.Seen(&seen, 1)
			d.StringOrNull(&p.Type)
		case "displayName":
			d.Seen(&seen, 2)
			d.StringOrNull(&p.DisplayName)
		case "uniqueName":
			d.Seen(&seen, 3)
			d.StringOrNull(&p.UniqueName)
		case "ipAddress":
			d.Seen(&seen, 4)
			d.StringOrNull(&p.IPAddress)
		default:
			d.Unknown(k, performerNames...)
		}
	}
	p.IPAddress = strings.TrimSpace(p.IPAddress)
}

// targetList reads a list of targets: nil for null, empty for [].
func (ad *activityDecoder) targetList() []Target {
	d := &ad.d
	if d.Null() || !d.Array() {
		return nil
	}
	ts := ad.targets[:0]
	for d.More() {
		ts = append(ts, Target{})
		t := &ts[len(ts)-1]
		if d.Null() || !d.Object() {
			continue
		}
		var seen uint64
		for d.More() {
			switch k := d.Key(); string(k) {
			case "id":
				d.Seen(&seen, 0)
				d.StringOrNull(&t.ID)
			case "type":
				d.Seen(&seen, 1)
				d.StringOrNull(&t.Type)
			case "displayName":
				d.Seen(&seen, 2)
				d.StringOrNull(&t.DisplayName)
			case "uniqueName":
				d.Seen(&seen, 3)
				d.StringOrNull(&t.UniqueName)
			default:
				d.Unknown(k, targetNames...)
			}
		}
	}
	ad.targets = ts
	return append(make([]Target, 0, len(ts)), ts...)
}

// stringList reads a list of strings (a null element stays "").
func (ad *activityDecoder) stringList() []string {
	d := &ad.d
	if d.Null() || !d.Array() {
		return nil
	}
	ss := ad.strs[:0]
	for d.More() {
		var s string
		d.StringOrNull(&s)
		ss = append(ss, s)
	}
	ad.strs = ss
	return append(make([]string, 0, len(ss)), ss...)
}

// rawList reads a list of values kept as sent (null is kept as "null", as
// json.RawMessage keeps it).
func (ad *activityDecoder) rawList() []json.RawMessage {
	d := &ad.d
	if d.Null() || !d.Array() {
		return nil
	}
	rs := ad.raws[:0]
	for d.More() {
		rs = append(rs, d.Raw())
	}
	ad.raws = rs
	return append(make([]json.RawMessage, 0, len(rs)), rs...)
}

// organization reads an organization: id, name and status on the fast path;
// one that also says when it was created or modified is read again with
// encoding/json.
func (ad *activityDecoder) organization() *Organization {
	d := &ad.d
	if d.Null() {
		return nil
	}
	o := &ad.whereabouts().org
	m := d.Mark()
	if !d.Object() {
		return nil
	}
	var seen uint64
	for d.More() {
		switch k := d.Key(); string(k) {
		case "id":
			d.Seen(&seen, 0)
			d.StringOrNull(&o.ID)
		case "name":
			d.Seen(&seen, 1)
			d.StringOrNull(&o.Name)
		case "status":
			d.Seen(&seen, 2)
			d.StringOrNull(&o.Status)
		default:
			d.Fail()
		}
	}
	if d.Failed() {
		*o = Organization{}
		ad.again(m, o)
	}
	return o
}

// workspace reads a workspace: id and name on the fast path; one with more
// is read again with encoding/json.
func (ad *activityDecoder) workspace() *Workspace {
	d := &ad.d
	if d.Null() {
		return nil
	}
	w := &ad.whereabouts().ws
	m := d.Mark()
	if !d.Object() {
		return nil
	}
	var seen uint64
	for d.More() {
		switch k := d.Key(); string(k) {
		case "id":
			d.Seen(&seen, 0)
			d.StringOrNull(&w.ID)
		case "name":
			d.Seen(&seen, 1)
			d.StringOrNull(&w.Name)
		default:
			d.Fail()
		}
	}
	if d.Failed() {
		*w = Workspace{}
		ad.again(m, w)
	}
	return w
}

// whereabouts holds an activity's organization and workspace: one
// allocation for both.
type whereabouts struct {
	org Organization
	ws  Workspace
}

func (ad *activityDecoder) whereabouts() *whereabouts {
	if ad.where == nil {
		ad.where = new(whereabouts)
	}
	return ad.where
}

// again reads the value at m once more with encoding/json into v (a zero
// value); a value encoding/json cannot read fails the fast path.
func (ad *activityDecoder) again(m jsondec.Mark, v any) {
	d := &ad.d
	d.Rewind(m)
	raw := d.SkipRaw()
	if d.Failed() || json.Unmarshal(raw, v) != nil {
		d.Fail()
	}
}
