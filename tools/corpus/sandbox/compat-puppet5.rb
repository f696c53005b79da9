# Loaded into `puppet apply` (RUBYOPT=-r) for branches whose CI ran puppet 4 or 5 on Ruby 2:
# what those branches' Ruby code relies on and puppet 7 / Ruby 3.1 changed. Nothing else.
# 1. An undef nested in an array or hash argument of a 3.x-API function reached the function as
#    the symbol :undef (stdlib 4.x delete_undef_values tests for it); puppet 6+ passes nil.
#    Results still convert :undef back to nil, as in every version.
# 2. URI.escape (removed in Ruby 3.0), which the old modules' functions call: Ruby 2's was
#    URI::DEFAULT_PARSER.escape (the RFC 2396 parser, still the default parser in Ruby 3.1).
require 'uri'
require 'puppet'
require 'puppet/pops'

class Puppet::Pops::Evaluator::Runtime3FunctionArgumentConverter
  def convert_NilClass(_o, _scope, undef_value)
    @inner ? :undef : undef_value
  end

  def convert_Symbol(o, _scope, undef_value)
    return o unless o == :undef
    @inner ? o : undef_value
  end
end

unless URI.respond_to?(:escape)
  module URI
    def self.escape(*args)
      DEFAULT_PARSER.escape(*args)
    end
  end
end
