//! The one macro behind every closed oneM2M enumeration (`op`, `rcn`, `rtv`, ...): a Rust
//! enum with its integer code, its TS-0004 name and a checked conversion from an integer.

/// Declares a `#[repr]`-less enum whose variants carry a oneM2M integer code and name.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal => $label:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in code order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The integer code carried on the wire.
            pub const fn code(self) -> i64 {
                match self { $( $name::$variant => $code, )+ }
            }

            /// The name TS-0004 gives this value.
            pub const fn name(self) -> &'static str {
                match self { $( $name::$variant => $label, )+ }
            }

            /// The value for `code`, or `None` when TS-0004 defines no such value.
            pub const fn from_code(code: i64) -> Option<Self> {
                match code { $( $code => Some($name::$variant), )+ _ => None }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{} ({})", self.name(), self.code())
            }
        }

        impl ::std::convert::TryFrom<i64> for $name {
            type Error = $crate::error::Error;
            fn try_from(code: i64) -> Result<Self, Self::Error> {
                Self::from_code(code).ok_or($crate::error::Error::UnknownCode { what: $what, code })
            }
        }
    };
}

pub(crate) use code_enum;
