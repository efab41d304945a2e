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

# A nova.conf that runs nova-compute: it configures a hypervisor driver.
nova_compute(f) if {
	f.service == "nova"
	f.sections.libvirt
}

nova_compute(f) if {
	f.service == "nova"
	f.sections.DEFAULT.keys.compute_driver
}

# A nova.conf of a controller: it has database credentials (nova-compute
# must not, see nova/conf/database.py).
nova_controller(f) if {
	f.service == "nova"
	f.options.database.connection.set
}

nova_controller(f) if {
	f.service == "nova"
	f.options.api_database.connection.set
}
