/** Config text that Terraform would evaluate, were it not escaped: an expression in each free-text field. */
export const hostile = {
  description: '${file("/etc/hostname")} and %{ if true }x%{ endif }',
  displayName: '${var.console_passwords["alice"]}',
  tagValue: "$${already escaped} %%{ too }",
  tagKey: '${upper("k")}',
};
