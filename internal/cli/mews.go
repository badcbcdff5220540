package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/internal/bounded"
	"github.com/signet-kiosk/signet/internal/connect"
)

// mewsClient builds the Mews client from the configuration.
func mewsClient(env *Env) (*mews.Client, error) { return configured(env, connect.Mews) }

// mewsExit maps a client error to the shared exit codes: refusals 1, bad
// input 2, transient failures that outlasted the retries 3.
func mewsExit(err error) error {
	var ee *ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ee):
		return err
	case errors.Is(err, mews.ErrInvalidInput), errors.Is(err, mews.ErrClearType),
		errors.Is(err, mews.ErrBadDate), errors.Is(err, mews.ErrConfig):
		return &ExitError{Code: ExitUsage, Err: err}
	case errors.Is(err, retry.ErrGaveUp), errors.Is(err, context.DeadlineExceeded), retry.Transient(err):
		return GaveUp(err)
	}
	return Refused(err)
}

func runMewsCustomersFind(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("mews customers find", "(--email E | --last-name N | --name N)")
	email := fs.String("email", "", "customer e-mail address (customers/getAll)")
	last := fs.String("last-name", "", "customer last name (customers/getAll)")
	name := fs.String("name", "", "name of a customer in house now (customers/search)")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	set := 0
	for _, v := range []string{*email, *last, *name} {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		return Usagef("mews customers find: give exactly one of --email, --last-name, --name")
	}
	cl, err := mewsClient(env)
	if err != nil {
		return err
	}
	customers := []mews.Customer{}
	switch {
	case *name != "":
		res, err := cl.Customers.Search(ctx, *name)
		if err != nil {
			return mewsExit(err)
		}
		for _, r := range res {
			customers = append(customers, r.Customer)
		}
	default:
		f := mews.CustomerFilter{}
		if *email != "" {
			f.Emails = []string{*email}
		} else {
			f.LastNames = []string{*last}
		}
		res, err := cl.Customers.Find(ctx, f)
		if err != nil {
			return mewsExit(err)
		}
		customers = append(customers, res...)
	}
	return printJSON(env.Stdout, customers)
}

// docType reads --type: a Mews type name, case-insensitively.
func docType(s string) (mews.DocumentType, error) {
	for _, t := range mews.DocumentTypes {
		if strings.EqualFold(s, string(t)) {
			return t, nil
		}
	}
	names := make([]string, len(mews.DocumentTypes))
	for i, t := range mews.DocumentTypes {
		names[i] = string(t)
	}
	return "", Usagef("--type %q is not one of %s", s, strings.Join(names, ", "))
}

func dateFlag(flagName, s string) (mews.Date, error) {
	d, err := mews.ParseDate(s)
	if err != nil {
		return mews.Date{}, Usagef("--%s: %q is not a date such as 2034-12-15", flagName, s)
	}
	return d, nil
}

func runMewsDocsList(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("mews docs list", "--customer ID [--customer ID …] [--type T]")
	var customers, types Strings
	fs.Var(&customers, "customer", "customer id (repeatable)")
	fs.Var(&types, "type", "document type: IdentityCard, Passport, Visa, DriversLicense (repeatable)")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if len(customers) == 0 {
		return Usagef("mews docs list: --customer is required")
	}
	opts := mews.DocumentListOptions{CustomerIDs: customers}
	for _, s := range types {
		t, err := docType(s)
		if err != nil {
			return err
		}
		opts.Types = append(opts.Types, t)
	}
	cl, err := mewsClient(env)
	if err != nil {
		return err
	}
	docs, err := cl.Documents.List(ctx, opts)
	if err != nil {
		return mewsExit(err)
	}
	if docs == nil {
		docs = []mews.Document{}
	}
	return printJSON(env.Stdout, docs)
}

// docFlags are the document fields shared by add and update.
type docFlags struct {
	typ, number, expires, issued, country, subdivision, city, support *string
}

func addDocFlags(fs *flag.FlagSet) docFlags {
	return docFlags{
		typ:         fs.String("type", "", "document type: IdentityCard, Passport, Visa, DriversLicense"),
		number:      fs.String("number", "", "document number"),
		expires:     fs.String("expires", "", "expiration date, YYYY-MM-DD"),
		issued:      fs.String("issued", "", "issuance date, YYYY-MM-DD"),
		country:     fs.String("country", "", "issuing country, ISO 3166-1 code"),
		subdivision: fs.String("subdivision", "", "issuing country subdivision code"),
		city:        fs.String("city", "", "issuing city"),
		support:     fs.String("support-number", "", "identity document support number (Spanish ID cards)"),
	}
}

func runMewsDocsAdd(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("mews docs add", "--customer ID --type T --number N [flags]")
	customer := fs.String("customer", "", "customer id")
	f := addDocFlags(fs)
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	seen := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { seen[fl.Name] = true })
	if *customer == "" || *f.typ == "" || !seen["number"] {
		return Usagef("mews docs add: --customer, --type and --number are required")
	}
	d := mews.Document{CustomerID: *customer, Number: *f.number, IssuingCountryCode: strings.ToUpper(*f.country),
		IssuingCountrySubdivisionCode: *f.subdivision, IssuingCity: *f.city, IdentityDocumentSupportNumber: *f.support}
	var err error
	if d.Type, err = docType(*f.typ); err != nil {
		return err
	}
	if *f.expires != "" {
		if d.ExpirationDate, err = dateFlag("expires", *f.expires); err != nil {
			return err
		}
	}
	if *f.issued != "" {
		if d.IssuanceDate, err = dateFlag("issued", *f.issued); err != nil {
			return err
		}
	}
	cl, err := mewsClient(env)
	if err != nil {
		return err
	}
	created, err := cl.Documents.Add(ctx, []mews.Document{d})
	if err != nil {
		return mewsExit(err)
	}
	return printJSON(env.Stdout, created[0])
}

// maxImportFile caps what mews docs import reads: a document with Mews
// field names is a few hundred bytes, so this is tens of thousands.
const maxImportFile = 8 << 20

func runMewsDocsImport(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("mews docs import", "--file FILE")
	file := fs.String("file", "", "JSON array of documents with Mews field names, at most "+bounded.Size(maxImportFile)+"; - reads standard input")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if *file == "" {
		return Usagef("mews docs import: --file is required")
	}
	data, err := readFileLimited(*file, env.Stdin, maxImportFile)
	if err != nil {
		return Usagef("mews docs import: %v", err)
	}
	var docs []mews.Document
	if err := json.Unmarshal(data, &docs); err != nil {
		return Usagef("mews docs import: %s is not a JSON array of documents: %v", *file, err)
	}
	for i, d := range docs {
		if d.CustomerID == "" || d.Type == "" {
			return Usagef("mews docs import: document %d needs CustomerId and Type", i+1)
		}
	}
	cl, err := mewsClient(env)
	if err != nil {
		return err
	}
	created, err := cl.Documents.Add(ctx, docs)
	if err != nil {
		if len(created) > 0 {
			_ = printJSON(env.Stdout, created)
		}
		return mewsExit(err)
	}
	if created == nil {
		created = []mews.Document{}
	}
	return printJSON(env.Stdout, created)
}

// clearNames maps --clear values, Mews field names or flag names, to the field.
var clearNames = map[string]string{
	"type": "Type", "number": "Number", "expires": "ExpirationDate", "issued": "IssuanceDate",
	"country": "IssuingCountryCode", "subdivision": "IssuingCountrySubdivisionCode",
	"city": "IssuingCity", "support-number": "IdentityDocumentSupportNumber",
}

func clearField(s string) (string, bool) {
	if f, ok := clearNames[strings.ToLower(s)]; ok {
		return f, true
	}
	for _, f := range mews.UpdateFields {
		if strings.EqualFold(s, f) {
			return f, true
		}
	}
	return "", false
}

func runMewsDocsUpdate(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("mews docs update", "--id ID [flags] [--clear FIELD …]")
	id := fs.String("id", "", "document id")
	f := addDocFlags(fs)
	var clears Strings
	fs.Var(&clears, "clear", "field to empty: a Mews field name (IssuingCity) or a flag name (city); repeatable")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if *id == "" {
		return Usagef("mews docs update: --id is required")
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) {
		if fl.Name != "id" && fl.Name != "clear" {
			set[clearNames[fl.Name]] = true
		}
	})
	u := mews.DocumentUpdate{ID: *id}
	for _, c := range clears {
		field, ok := clearField(c)
		if !ok {
			return Usagef("--clear %q is not a document field (%s)", c, strings.Join(mews.UpdateFields, ", "))
		}
		if set[field] {
			return Usagef("--clear %s conflicts with a new value for the same field", c)
		}
		if err := u.ClearField(field); err != nil {
			return Usagef("--clear %s: %v", c, err)
		}
	}
	if set["Type"] {
		t, err := docType(*f.typ)
		if err != nil {
			return err
		}
		u.Type = mews.Set(t)
	}
	str := map[string]struct {
		v   *string
		dst *mews.Update[string]
	}{
		"Number": {f.number, &u.Number}, "IssuingCountryCode": {f.country, &u.IssuingCountryCode},
		"IssuingCountrySubdivisionCode": {f.subdivision, &u.IssuingCountrySubdivisionCode},
		"IssuingCity":                   {f.city, &u.IssuingCity}, "IdentityDocumentSupportNumber": {f.support, &u.IdentityDocumentSupportNumber},
	}
	for field, s := range str {
		if set[field] {
			v := *s.v
			if field == "IssuingCountryCode" {
				v = strings.ToUpper(v)
			}
			*s.dst = mews.Set(v)
		}
	}
	for field, d := range map[string]struct {
		flag, v string
		dst     *mews.Update[mews.Date]
	}{"ExpirationDate": {"expires", *f.expires, &u.ExpirationDate}, "IssuanceDate": {"issued", *f.issued, &u.IssuanceDate}} {
		if set[field] {
			v, err := dateFlag(d.flag, d.v)
			if err != nil {
				return err
			}
			*d.dst = mews.Set(v)
		}
	}
	if len(set) == 0 && len(clears) == 0 {
		return Usagef("mews docs update: nothing to change; give a new value or --clear FIELD")
	}
	cl, err := mewsClient(env)
	if err != nil {
		return err
	}
	docs, err := cl.Documents.Update(ctx, []mews.DocumentUpdate{u})
	if err != nil {
		return mewsExit(err)
	}
	if len(docs) == 0 {
		return Refused(fmt.Errorf("mews: document %s was not returned by the update", *id))
	}
	return printJSON(env.Stdout, docs[0])
}

func runMewsDocsDelete(ctx context.Context, env *Env, args []string) error {
	return runMewsDocsRemove(ctx, env, args, "delete", "id", "document id (repeatable)", (*mews.DocumentsService).Delete)
}

func runMewsDocsClear(ctx context.Context, env *Env, args []string) error {
	return runMewsDocsRemove(ctx, env, args, "clear", "customer", "customer id (repeatable)", (*mews.DocumentsService).Clear)
}

// runMewsDocsRemove is delete and clear: the ids of the one repeatable
// flag, at least one, handed to the client's method.
func runMewsDocsRemove(ctx context.Context, env *Env, args []string, name, flagName, usage string,
	method func(*mews.DocumentsService, context.Context, []string) error) error {
	fs := env.FlagSet("mews docs "+name, fmt.Sprintf("--%[1]s ID [--%[1]s ID …]", flagName))
	var ids Strings
	fs.Var(&ids, flagName, usage)
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if len(ids) == 0 {
		return Usagef("mews docs %s: --%s is required", name, flagName)
	}
	cl, err := mewsClient(env)
	if err != nil {
		return err
	}
	return mewsExit(method(cl.Documents, ctx, ids))
}
