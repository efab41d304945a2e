package oscfg.lib

# oslo_files: every oslo.config file as [host, path, file].
oslo_files contains [h, p, f] if {
	some h, p
	f := input.hosts[h].files[p]
	f.kind == "oslo"
}

# opt(f, group, key) is the effective option object of docs/model.md
# ({value, set, line, key}).
opt(f, group, key) := f.options[group][key]

# opt_line(f, group, key) is the line to point at for an option: where it is
# set, else its section header, else line 1.
opt_line(f, group, key) := l if {
	o := f.options[group][key]
	o.set
	l := o.line
} else := l if {
	l := f.sections[group].line
} else := 1

# opt_int(o): an effective option's value when it is an integer.
opt_int(o) := o.value if {
	is_number(o.value)
	not o.invalid
}
