package oscfg.lib_test

import data.oscfg.lib

test_outliers_away_from_the_majority if {
	lib.outliers({"ctl1": 5, "ctl2": 5, "ctl3": 20}) == {"ctl3"}
	# no strict majority: nothing to converge to, every host is shown
	lib.outliers({"ctl1": 5, "ctl2": 20}) == {"ctl1", "ctl2"}
}

test_distinct if {
	lib.distinct({"ctl1": 5, "ctl2": 5, "ctl3": 20}) == 2
	lib.distinct({}) == 0
}

test_secret_lines_every_dialect if {
	doc := oscfg.fleet({
		"ctl1:/etc/nova/nova.conf": "[database]\nconnection = mysql+pymysql://nova:s3cret@10.0.0.10/nova\n",
		"db1:/etc/mysql/my.cnf": "[client]\npassword = s3cret\n",
	})
	lines := {[h, x.line, x.what] |
		some h, host in doc.hosts
		some _, f in host.files
		some x in lib.secret_lines(f)
	}
	lines == {["ctl1", 2, "[database] connection"], ["db1", 2, "[client] password"]}
}
