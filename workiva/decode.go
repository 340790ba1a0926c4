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
	ad.d.Reset(body)
	items, link, hasNext := jsondec.Page(&ad.d, pageNames, make([]Activity, 0, max(pageSize, 0)), ad.activity)
	if ad.d.Finish() != nil {
		return nil, nil, false
	}
	if hasNext {
		next = &link // kept as the page token
	}
	return items, next, true
}

// The wire names each decoder reads, strings first (a test checks them
// against the models' json tags). The cases of each decoder's switch are
// numbered after the other names' order.
var (
	pageNames     = jsondec.NewNames(nil, "data", "@nextLink")
	activityNames = jsondec.NewNames([]string{"id", "summary", "description", "outcome"},
		"action", "activityDateTime", "performer", "targets", "organization", "workspace", "tags", "attachments")
	actionNames       = jsondec.NewNames([]string{"id", "alias", "name", "category"}, "deprecated")
	performerNames    = jsondec.NewNames([]string{"id", "type", "displayName", "uniqueName", "ipAddress"})
	targetNames       = jsondec.NewNames([]string{"id", "type", "displayName", "uniqueName"})
	organizationNames = jsondec.NewOnlyNames([]string{"id", "name", "status"})
	workspaceNames    = jsondec.NewOnlyNames([]string{"id", "name"})
)

// activity reads one activity into a, a zero Activity.
func (ad *activityDecoder) activity(a *Activity) {
	d := &ad.d
	ad.where = nil
	var description string
	m := d.Members(activityNames, &a.ID, &a.Summary, &description, (*string)(&a.Outcome))
	for d.Next(&m) {
		switch m.Index() {
		case 0: // action
			ad.action(&a.Action)
		case 1: // activityDateTime
			d.Time(&a.ActivityDateTime)
		case 2: // performer
			ad.performer(&a.Performer)
		case 3: // targets
			a.Targets = jsondec.List(d, &ad.targets, ad.target)
		case 4: // organization
			a.Organization = ad.organization()
		case 5: // workspace
			a.Workspace = ad.workspace()
		case 6: // tags: a null element stays ""
			a.Tags = jsondec.List(d, &ad.strs, d.StringOrNull)
		case 7: // attachments: kept as sent, null as "null" (as json.RawMessage keeps it)
			a.Attachments = jsondec.List(d, &ad.raws, func(r *json.RawMessage) { *r = d.Raw() })
		}
	}
	if a.Summary == "" { // as activityWire.model does
		a.Summary = description
	}
}

func (ad *activityDecoder) action(a *ActivityAction) {
	d := &ad.d
	m := d.Members(actionNames, &a.ID, &a.Alias, &a.Name, &a.Category)
	for d.Next(&m) { // deprecated, the one other name
		d.BoolOrNull(&a.Deprecated)
	}
}

// performer reads a performer and trims its IP address, as
// activityWire.model does.
func (ad *activityDecoder) performer(p *Performer) {
	ad.d.StringMembers(performerNames, &p.ID, &p.Type, &p.DisplayName, &p.UniqueName, &p.IPAddress)
	p.IPAddress = strings.TrimSpace(p.IPAddress)
}

func (ad *activityDecoder) target(t *Target) {
	ad.d.StringMembers(targetNames, &t.ID, &t.Type, &t.DisplayName, &t.UniqueName)
}

// organization reads an organization: id, name and status on the fast path;
// one that also says when it was created or modified is read again with
// encoding/json.
func (ad *activityDecoder) organization() *Organization {
	if ad.d.Null() {
		return nil
	}
	o := &ad.whereabouts().org
	return orAgain(ad, o, organizationNames, &o.ID, &o.Name, &o.Status)
}

// workspace reads a workspace: id and name on the fast path; one with more
// is read again with encoding/json.
func (ad *activityDecoder) workspace() *Workspace {
	if ad.d.Null() {
		return nil
	}
	w := &ad.whereabouts().ws
	return orAgain(ad, w, workspaceNames, &w.ID, &w.Name)
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

// orAgain reads an object of string members into v (a zero value) with
// StringMembers; one off that shape (another member: an Organization's
// created, a Workspace's solutions) is read again with encoding/json into v,
// zeroed; a value encoding/json cannot read fails the fast path.
func orAgain[T any](ad *activityDecoder, v *T, names *jsondec.Names, strs ...*string) *T {
	d := &ad.d
	m := d.Mark()
	d.StringMembers(names, strs...)
	if !d.Failed() {
		return v
	}
	*v = *new(T)
	d.Rewind(m)
	raw := d.SkipRaw()
	if d.Failed() || json.Unmarshal(raw, v) != nil {
		d.Fail()
	}
	return v
}
